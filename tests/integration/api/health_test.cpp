#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "db/migrations.hpp"
#include "support/app_harness.hpp"
#include "support/test_database.hpp"

using namespace mercato;
using namespace mercato::testing;

namespace {

class HealthTest : public BackendTest {};

boost::json::object body_of(const http::Response& r) { return boost::json::parse(r.body).as_object(); }

// A loopback port with nothing listening: a stopped PostgreSQL, as far as a client can tell.
std::uint16_t closed_port() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

}  // namespace

TEST_P(HealthTest, ReportsOkWithDatabaseLatency) {
  AppHarness app(database());
  auto r = app.get("/api/health");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.headers.get("Content-Type"), "application/json");
  auto body = body_of(r);
  EXPECT_EQ(body.at("status"), "ok");
  EXPECT_EQ(body.at("version"), MERCATO_VERSION);
  EXPECT_EQ(body.at("checks").at("database").at("status"), "ok");
  EXPECT_GE(body.at("checks").at("database").at("latency_ms").to_number<double>(), 0.0);
}

// Connection loss is a PostgreSQL matter: SQLite has no server to lose.
TEST(HealthPostgres, RecoversAfterTheServerDroppedTheConnection) {
  skip_or_fail_without_postgres();
  if (::testing::Test::IsSkipped() || ::testing::Test::HasFatalFailure()) return;
  TestDatabase db(Backend::postgres);
  auto& database = db.database();
  AppHarness app(database);
  ASSERT_EQ(app.get("/api/health").status, 200);
  std::int64_t pid = 0;
  {  // the pool's one idle connection, the same one the health check just used
    auto lease = database.acquire();
    pid = lease->execute("SELECT pg_backend_pid()").rows.at(0).int64(0);
  }
  {
    auto admin = db.open({1, std::chrono::seconds{5}});
    auto lease = admin->acquire();
    lease->execute("SELECT pg_terminate_backend($1::int)", {pid});
  }
  // The broken connection fails one check at most and is then replaced.
  auto first = app.get("/api/health").status;
  EXPECT_TRUE(first == 200 || first == 503) << first;
  EXPECT_EQ(app.get("/api/health").status, 200);
}

INSTANTIATE_TEST_SUITE_P(Backends, HealthTest, ::testing::Values(Backend::sqlite, Backend::postgres),
                         backend_param_name);

TEST(HealthUnavailable, PostgresUnreachableIs503NamingTheCheck) {
  auto url = "postgresql://mercato:hunter2-password@127.0.0.1:" + std::to_string(closed_port()) + "/postgres";
  auto database = db::open_database(url, {2, std::chrono::milliseconds{500}});
  AppHarness app(*database);
  auto r = app.get("/api/health");
  EXPECT_EQ(r.status, 503);
  EXPECT_TRUE(r.headers.contains("Retry-After"));
  auto body = body_of(r);
  EXPECT_EQ(body.at("status"), "fail");
  EXPECT_EQ(body.at("failing"), "database");
  EXPECT_EQ(body.at("checks").at("database").at("status"), "fail");
  EXPECT_EQ(r.body.find("hunter2"), std::string::npos);
  EXPECT_EQ(r.body.find("127.0.0.1"), std::string::npos);  // no host details to the client
  EXPECT_EQ(app.log_text().find("hunter2"), std::string::npos);
}
