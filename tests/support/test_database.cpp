#include "support/test_database.hpp"

#include <cstdio>
#include <cstdlib>
#include <random>
#include <stdexcept>
#include <string_view>
#include <system_error>

#include <unistd.h>

#include "db/migrations.hpp"

namespace mercato::testing {

namespace {

std::string random_hex() {
  std::random_device device;
  std::uniform_int_distribution<unsigned long long> draw;
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", draw(device));
  return text;
}

bool env_is(const char* name, std::string_view value) {
  const char* set = std::getenv(name);
  return set && value == set;
}

std::filesystem::path scratch_root() {
  if (const char* chosen = std::getenv("MERCATO_TEST_TMPDIR"); chosen && *chosen) return chosen;
  std::error_code ec;
  if (std::filesystem::is_directory("/dev/shm", ec) && ::access("/dev/shm", W_OK) == 0) return "/dev/shm";
  return std::filesystem::temp_directory_path();
}

}  // namespace

std::string backend_name(Backend backend) { return backend == Backend::postgres ? "postgres" : "sqlite"; }

db::Dialect dialect_of(Backend backend) {
  return backend == Backend::postgres ? db::Dialect::postgres : db::Dialect::sqlite;
}

std::string backend_param_name(const ::testing::TestParamInfo<Backend>& info) { return backend_name(info.param); }

std::optional<std::string> postgres_server_url() {
  const char* url = std::getenv("MERCATO_TEST_POSTGRES_URL");
  if (!url || !*url) return std::nullopt;
  return url;
}

void skip_or_fail_without_postgres() {
  if (postgres_server_url()) return;
  if (env_is("MERCATO_TEST_REQUIRE_POSTGRES", "1")) {
    GTEST_FAIL() << "MERCATO_TEST_REQUIRE_POSTGRES=1 but MERCATO_TEST_POSTGRES_URL is not set; "
                    "run the tests through scripts/with-postgres.sh";
  }
  GTEST_SKIP() << "MERCATO_TEST_POSTGRES_URL is not set; run through scripts/with-postgres.sh to include PostgreSQL";
}

ScratchFolder::ScratchFolder(std::string_view prefix) {
  auto root = scratch_root();
  do {
    path_ = root / (std::string(prefix) + random_hex());
  } while (!std::filesystem::create_directories(path_));
}

ScratchFolder::~ScratchFolder() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

TestDatabase::TestDatabase(Backend backend, TestDatabaseOptions options) : backend_(backend) {
  try {
    if (backend == Backend::postgres) {
      auto server_url = postgres_server_url();
      if (!server_url) throw std::runtime_error("MERCATO_TEST_POSTGRES_URL is not set");
      create_postgres(*server_url, options.pool);
    } else {
      create_sqlite(options.pool);
    }
    if (options.migrate) db::migrate(*database_, db::embedded_migrations(dialect_of(backend)));
  } catch (...) {
    remove();  // the destructor does not run when the constructor throws
    throw;
  }
}

TestDatabase::~TestDatabase() { remove(); }

std::unique_ptr<db::Database> TestDatabase::open(db::PoolOptions options) const {
  return db::open_database(url_, options);
}

void TestDatabase::create_sqlite(db::PoolOptions options) {
  folder_ = std::make_unique<ScratchFolder>();
  url_ = "sqlite:" + (folder_->path() / "mercato.db").string();
  database_ = db::open_database(url_, options);
}

void TestDatabase::create_postgres(const std::string& server_url, db::PoolOptions options) {
  schema_ = "t_" + random_hex();
  // libpq decodes the value to "-csearch_path=<schema>": every pooled connection, and a
  // server started with this URL, then works inside the test's own schema.
  url_ = server_url + (server_url.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" + schema_;
  database_ = db::open_database(url_, options);
  // Through the pool, whose connection then serves the migrations: a connection costs
  // tens of milliseconds, a good part of a test's time.
  database_->acquire()->execute_script("CREATE SCHEMA " + schema_);
}

void TestDatabase::remove() noexcept {
  if (database_ && !schema_.empty()) {
    try {
      database_->acquire()->execute_script("DROP SCHEMA IF EXISTS " + schema_ + " CASCADE");
    } catch (...) {
      // a schema left behind on a throwaway server harms no later test
    }
  }
  database_.reset();
  folder_.reset();
}

void BackendTest::SetUp() {
  if (GetParam() == Backend::postgres) {
    skip_or_fail_without_postgres();
    if (IsSkipped() || HasFatalFailure()) return;
  }
  db_ = std::make_unique<TestDatabase>(GetParam(), database_options());
}

}  // namespace mercato::testing
