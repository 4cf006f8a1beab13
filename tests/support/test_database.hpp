#pragma once
// A fresh database per test on either backend: a SQLite file in a temporary folder, or a
// throwaway schema on the PostgreSQL server named by MERCATO_TEST_POSTGRES_URL.

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "db/database.hpp"

namespace mercato::testing {

enum class Backend { sqlite, postgres };

std::string backend_name(Backend backend);
db::Dialect dialect_of(Backend backend);
// Name generator for INSTANTIATE_TEST_SUITE_P: "sqlite" / "postgres".
std::string backend_param_name(const ::testing::TestParamInfo<Backend>& info);

// MERCATO_TEST_POSTGRES_URL when set and not empty, e.g. postgresql://mercato@127.0.0.1:5432/postgres.
std::optional<std::string> postgres_server_url();

// Without MERCATO_TEST_POSTGRES_URL, skips the running test, or fails it when
// MERCATO_TEST_REQUIRE_POSTGRES=1. gtest's skip and fail only leave this function, so the
// caller then returns when ::testing::Test::IsSkipped() || HasFatalFailure().
void skip_or_fail_without_postgres();

// A uniquely named, initially empty folder, removed with everything in it on destruction.
// It lives on tmpfs (/dev/shm) when there is one: SQLite's synchronous=FULL makes every
// commit an fsync, which costs milliseconds on a disk and nothing there. Set
// MERCATO_TEST_TMPDIR to choose another place.
class ScratchFolder {
 public:
  explicit ScratchFolder(std::string_view prefix = "mercato-test-");
  ScratchFolder(const ScratchFolder&) = delete;
  ScratchFolder& operator=(const ScratchFolder&) = delete;
  ~ScratchFolder();

  const std::filesystem::path& path() const noexcept { return path_; }

 private:
  std::filesystem::path path_;
};

struct TestDatabaseOptions {
  bool migrate = true;  // apply db::embedded_migrations; false for tests of migrations
  db::PoolOptions pool{};
};

class TestDatabase {
 public:
  // Throws when the database cannot be created (e.g. PostgreSQL is down).
  explicit TestDatabase(Backend backend, TestDatabaseOptions options = {});
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;
  ~TestDatabase();  // closes the pool and removes the file or drops the schema

  Backend backend() const noexcept { return backend_; }
  db::Database& database() noexcept { return *database_; }
  // The DATABASE_URL of this database, e.g. to start the real binary against it. For
  // PostgreSQL it selects the test's schema through options=-csearch_path=...
  const std::string& url() const noexcept { return url_; }
  // A second pool on the same database, e.g. with other PoolOptions.
  std::unique_ptr<db::Database> open(db::PoolOptions options) const;

 private:
  void create_sqlite(db::PoolOptions options);
  void create_postgres(const std::string& server_url, db::PoolOptions options);
  void remove() noexcept;

  Backend backend_;
  std::string url_;
  std::unique_ptr<ScratchFolder> folder_;  // SQLite
  std::string schema_;                     // PostgreSQL
  std::unique_ptr<db::Database> database_;
};

// Base fixture for tests run on both backends:
//   class MyTest : public BackendTest {};
//   TEST_P(MyTest, Works) { auto lease = database().acquire(); ... }
//   INSTANTIATE_TEST_SUITE_P(Backends, MyTest, ::testing::Values(Backend::sqlite, Backend::postgres),
//                            backend_param_name);
class BackendTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override;
  void TearDown() override { db_.reset(); }
  // Overridden by fixtures that need an unmigrated database or other pool options.
  virtual TestDatabaseOptions database_options() const { return {}; }

  Backend backend() const { return GetParam(); }
  db::Dialect dialect() const { return dialect_of(GetParam()); }
  db::Database& database() { return db_->database(); }

  std::unique_ptr<TestDatabase> db_;
};

}  // namespace mercato::testing
