// The real mercato binary: exit codes, start-up refusals, serving, graceful shutdown.

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include <csignal>
#include <filesystem>

#include "db/database.hpp"
#include "db/migrations.hpp"
#include "support/child_process.hpp"
#include "support/http_client.hpp"
#include "support/test_database.hpp"

using namespace std::chrono_literals;
using mercato::testing::ChildProcess;
using mercato::testing::run_binary;

namespace {

class BinaryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("mercato-cli-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    db_url_ = "sqlite:" + (dir_ / "test.db").string();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::map<std::string, std::string> env(std::map<std::string, std::string> extra = {}) const {
    std::map<std::string, std::string> base{{"DATABASE_URL", db_url_}, {"PORT", "0"}, {"BIND_ADDRESS", "127.0.0.1"},
                                            {"APP_ENV", "development"}, {"LOG_LEVEL", "info"}};
    for (auto& [k, v] : extra) base[k] = v;
    return base;
  }

  static std::uint16_t port_from(const std::string& started_line) {
    return static_cast<std::uint16_t>(boost::json::parse(started_line).at("port").as_int64());
  }

  std::filesystem::path dir_;
  std::string db_url_;
};

std::optional<mercato::test::RawResponse> http_get(std::uint16_t port, const std::string& target) {
  mercato::test::RawConnection connection(port);
  if (!connection.send("GET " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"))
    return std::nullopt;
  return connection.read_response();
}

std::size_t line_count(const std::string& text) { return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')); }

}  // namespace

TEST_F(BinaryTest, VersionAndUnknownCommand) {
  auto version = run_binary({MERCATO_BINARY_PATH, "version"}, env());
  EXPECT_EQ(version.code, 0);
  EXPECT_EQ(version.out, std::string("mercato ") + MERCATO_VERSION + "\n");
  auto unknown = run_binary({MERCATO_BINARY_PATH, "frobnicate"}, env());
  EXPECT_EQ(unknown.code, 2);
  EXPECT_NE(unknown.err.find("frobnicate"), std::string::npos);
}

TEST_F(BinaryTest, BadConfigurationIsOneLineAndExitCode2) {
  auto bad_port = run_binary({MERCATO_BINARY_PATH, "serve"}, env({{"PORT", "eighty"}}));
  EXPECT_EQ(bad_port.code, 2);
  EXPECT_EQ(line_count(bad_port.err), 1u) << bad_port.err;
  EXPECT_NE(bad_port.err.find("PORT"), std::string::npos);
}

TEST_F(BinaryTest, ProductionRefusesToStartWithoutSecrets) {
  auto result = run_binary({MERCATO_BINARY_PATH, "serve"}, env({{"APP_ENV", "production"}}));
  EXPECT_EQ(result.code, 2);
  EXPECT_NE(result.err.find("JWT_SECRET"), std::string::npos);
  EXPECT_EQ(line_count(result.err), 1u);
}

TEST_F(BinaryTest, ServeRefusesAnUnmigratedDatabase) {
  auto result = run_binary({MERCATO_BINARY_PATH, "serve"}, env());
  EXPECT_EQ(result.code, 2);
  EXPECT_NE(result.err.find("mercato migrate"), std::string::npos);
}

TEST_F(BinaryTest, ServeRefusesADatabaseNewerThanItself) {
  ASSERT_EQ(run_binary({MERCATO_BINARY_PATH, "migrate"}, env()).code, 0);
  {
    auto database = mercato::db::open_database(db_url_, {});
    auto lease = database->acquire();
    lease->execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, 'future', 'x')");
  }
  auto serve = run_binary({MERCATO_BINARY_PATH, "serve"}, env());
  EXPECT_EQ(serve.code, 2);
  EXPECT_NE(serve.err.find("newer"), std::string::npos);
  auto migrate = run_binary({MERCATO_BINARY_PATH, "migrate"}, env());
  EXPECT_EQ(migrate.code, 2);
}

TEST_F(BinaryTest, MigrateTwiceAppliesOnce) {
  auto first = run_binary({MERCATO_BINARY_PATH, "migrate"}, env());
  ASSERT_EQ(first.code, 0) << first.err;
  auto known = static_cast<std::int64_t>(mercato::db::embedded_sqlite_migrations().size());
  EXPECT_EQ(boost::json::parse(first.out).at("applied"), known);
  auto second = run_binary({MERCATO_BINARY_PATH, "migrate"}, env());
  ASSERT_EQ(second.code, 0) << second.err;
  EXPECT_EQ(boost::json::parse(second.out).at("applied"), 0);
}

TEST_F(BinaryTest, ServesHealthAndStopsGracefullyOnSigterm) {
  ASSERT_EQ(run_binary({MERCATO_BINARY_PATH, "migrate"}, env()).code, 0);
  ChildProcess server({MERCATO_BINARY_PATH, "serve"}, env());
  auto started = server.wait_for_line("server_started", 20s);
  ASSERT_TRUE(started) << server.err();
  auto response = http_get(port_from(*started), "/api/health");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  auto body = boost::json::parse(response->body).as_object();
  EXPECT_EQ(body.at("status"), "ok");
  EXPECT_EQ(body.at("version"), MERCATO_VERSION);
  EXPECT_EQ(body.at("checks").at("database").at("status"), "ok");
  EXPECT_TRUE(server.wait_for_line("\"route\":\"/api/health\"", 5s)) << "no access log line";

  server.send_signal(SIGTERM);
  EXPECT_EQ(server.wait(20s), 0);
  EXPECT_NE(server.out().find("server_stopped"), std::string::npos);
}

// The image's HEALTHCHECK: it reads PORT only, since secrets may reach the server by
// other means (SECRETS_ARN) than the health check's environment.
TEST_F(BinaryTest, HealthcheckSaysWhetherTheServerAnswers) {
  ASSERT_EQ(run_binary({MERCATO_BINARY_PATH, "migrate"}, env()).code, 0);
  ChildProcess server({MERCATO_BINARY_PATH, "serve"}, env());
  auto started = server.wait_for_line("server_started", 20s);
  ASSERT_TRUE(started) << server.err();
  auto port = std::to_string(port_from(*started));
  auto healthy = run_binary({MERCATO_BINARY_PATH, "healthcheck"}, {{"PORT", port}, {"APP_ENV", "production"}});
  EXPECT_EQ(healthy.code, 0) << healthy.err;
  server.send_signal(SIGTERM);
  ASSERT_EQ(server.wait(20s), 0);
  auto down = run_binary({MERCATO_BINARY_PATH, "healthcheck"}, {{"PORT", port}});
  EXPECT_EQ(down.code, 1);
  EXPECT_NE(down.err.find("health check failed"), std::string::npos) << down.err;
  EXPECT_EQ(run_binary({MERCATO_BINARY_PATH, "healthcheck"}, {{"PORT", "eighty"}}).code, 2);
}

TEST_F(BinaryTest, LogsAreJsonLinesWithoutSecrets) {
  ASSERT_EQ(run_binary({MERCATO_BINARY_PATH, "migrate"}, env()).code, 0);
  ChildProcess server({MERCATO_BINARY_PATH, "serve"}, env({{"JWT_SECRET", "jwt-secret-that-must-not-leak-0123456789"}}));
  auto started = server.wait_for_line("server_started", 20s);
  ASSERT_TRUE(started);
  http_get(port_from(*started), "/api/health?access_token=query-token-must-not-leak");
  server.wait_for_line("http_request", 5s);
  server.send_signal(SIGTERM);
  server.wait(20s);
  std::istringstream lines(server.out());
  for (std::string line; std::getline(lines, line);) {
    EXPECT_NO_THROW(boost::json::parse(line)) << line;
    EXPECT_EQ(line.find("must-not-leak"), std::string::npos) << line;
  }
}

namespace {

class BinaryBackendTest : public mercato::testing::BackendTest {
 protected:
  mercato::testing::TestDatabaseOptions database_options() const override { return {.migrate = false}; }
};

}  // namespace

// `mercato migrate` on an empty database creates the six tables; `serve` then answers.
TEST_P(BinaryBackendTest, MigrateCreatesTheTablesAndServeAnswers) {
  std::map<std::string, std::string> env{
      {"DATABASE_URL", db_->url()}, {"PORT", "0"}, {"BIND_ADDRESS", "127.0.0.1"}, {"LOG_LEVEL", "info"}};
  auto migrate = run_binary({MERCATO_BINARY_PATH, "migrate"}, env);
  ASSERT_EQ(migrate.code, 0) << migrate.err;
  {
    auto lease = database().acquire();
    for (auto table : {"users", "products", "categories", "orders", "order_items", "payments"})
      EXPECT_NO_THROW(lease->execute(std::string("SELECT count(*) FROM ") + table)) << table;
  }
  ChildProcess server({MERCATO_BINARY_PATH, "serve"}, env);
  auto started = server.wait_for_line("server_started", 20s);
  ASSERT_TRUE(started) << server.err();
  auto response = http_get(
      static_cast<std::uint16_t>(boost::json::parse(*started).at("port").as_int64()), "/api/health");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  server.send_signal(SIGTERM);
  EXPECT_EQ(server.wait(20s), 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, BinaryBackendTest,
                         ::testing::Values(mercato::testing::Backend::sqlite, mercato::testing::Backend::postgres),
                         mercato::testing::backend_param_name);
