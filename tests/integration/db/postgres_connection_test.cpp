#include <arpa/inet.h>
#include <gtest/gtest.h>

#include "support/db_error_of.hpp"
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "db/error.hpp"
#include "db/postgres/pg_connection.hpp"
#include "db/transaction.hpp"
#include "support/test_database.hpp"

using namespace mercato::testing;
namespace db = mercato::db;
using db::DbError;
using db::Failure;
using db::PgConnection;

namespace {

// A loopback port nobody listens on: bound to 0 to learn a free one, then closed.
int free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0)
    throw std::runtime_error("cannot find a free port");
  ::close(fd);
  return ntohs(address.sin_port);
}

TEST(PostgresConnectionDown, RefusedConnectionIsUnavailableAndHidesThePassword) {
  const std::string password = "Sup3r-s3cret-pw";
  auto url = "postgresql://mercato:" + password + "@127.0.0.1:" + std::to_string(free_port()) + "/postgres";
  auto error = error_of([&] { PgConnection connection(url); });
  EXPECT_EQ(error.failure(), Failure::unavailable);
  EXPECT_EQ(error.kind(), mercato::ErrorKind::unavailable);
  EXPECT_EQ(std::string(error.what()).find(password), std::string::npos) << error.what();
  EXPECT_EQ(error.message().find(password), std::string::npos);
  EXPECT_NE(std::string(error.what()).find("cannot connect"), std::string::npos) << error.what();

  auto pool = db::open_database(url, {.max_connections = 1, .acquire_timeout = std::chrono::milliseconds(100)});
  error = error_of([&] { pool->acquire(); });
  EXPECT_EQ(error.failure(), Failure::unavailable);
  EXPECT_EQ(std::string(error.what()).find(password), std::string::npos) << error.what();
  error = error_of([&] { pool->acquire(); });  // the failed attempt gave its slot back
  EXPECT_NE(std::string(error.what()).find("cannot connect"), std::string::npos) << error.what();
}

class PostgresConnectionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    skip_or_fail_without_postgres();
    if (IsSkipped() || HasFatalFailure()) return;
    url_ = *postgres_server_url();
  }
  std::string url_;
};

TEST_F(PostgresConnectionTest, SessionRunsInUtc) {
  PgConnection connection(url_);
  EXPECT_EQ(connection.execute("SHOW TimeZone").rows.at(0).text(0), "UTC");
  auto row = connection
                 .execute("SELECT '2026-11-26 01:24:30.1+02'::timestamptz, '2026-11-25 23:24:30'::timestamp, "
                          "'infinity'::timestamptz, true, 'usd'::char(3)")
                 .rows.at(0);
  EXPECT_EQ(row.text(0), "2026-11-25T23:24:30.100000Z");
  EXPECT_EQ(row.text(1), "2026-11-25T23:24:30.000000Z");
  EXPECT_EQ(row.text(2), "infinity");
  EXPECT_TRUE(row.boolean(3));
  EXPECT_EQ(row.text(4), "usd");
  auto now = connection.execute("SELECT now()").rows.at(0).text(0);
  EXPECT_EQ(now.size(), 27u) << now;
  EXPECT_EQ(now.back(), 'Z');
}

TEST_F(PostgresConnectionTest, TerminatedBackendIsUnavailableAndUnusable) {
  PgConnection victim(url_);
  PgConnection killer(url_);
  auto pid = victim.execute("SELECT pg_backend_pid()").rows.at(0).int64(0);
  // With a timeout, pg_terminate_backend waits until the backend has gone.
  ASSERT_TRUE(killer.execute("SELECT pg_terminate_backend($1::int, 5000)", {pid}).rows.at(0).boolean(0));
  auto error = error_of([&] { victim.execute("SELECT 1"); });
  EXPECT_EQ(error.failure(), Failure::unavailable);
  EXPECT_FALSE(victim.usable());
}

TEST_F(PostgresConnectionTest, AbortedTransactionIsUnusableAndCannotCommit) {
  PgConnection connection(url_);
  connection.begin();
  EXPECT_THROW(connection.execute("SELECT 1/0"), DbError);
  EXPECT_FALSE(connection.usable());
  auto error = error_of([&] { connection.commit(); });  // PostgreSQL would answer ROLLBACK
  EXPECT_EQ(error.failure(), Failure::other);
  EXPECT_TRUE(connection.usable());
}

TEST_F(PostgresConnectionTest, ServerSerializationFailureIsRetried) {
  auto pool = db::open_database(url_, {});
  int calls = 0;
  auto result = db::run_transaction(*pool, [&](db::Connection& c) {
    if (++calls == 1)
      c.execute_script("DO $$ BEGIN RAISE EXCEPTION 'conflict' USING ERRCODE = 'serialization_failure'; END $$");
    return c.execute("SELECT 7").rows.at(0).int64(0);
  });
  EXPECT_EQ(calls, 2);
  EXPECT_EQ(result, 7);
}

TEST_F(PostgresConnectionTest, ServerShutdownIsUnavailable) {
  PgConnection connection(url_);
  auto error = error_of(
      [&] { connection.execute_script("DO $$ BEGIN RAISE EXCEPTION 'bye' USING ERRCODE = 'admin_shutdown'; END $$"); });
  EXPECT_EQ(error.failure(), Failure::unavailable);
  EXPECT_FALSE(connection.usable());
}

TEST_F(PostgresConnectionTest, TestDatabaseWorksInItsOwnSchema) {
  std::string schema;
  {
    TestDatabase database(Backend::postgres, {.migrate = false});
    auto pool = db::open_database(database.url(), {});
    schema = pool->acquire()->execute("SELECT current_schema()").rows.at(0).text(0);
    EXPECT_EQ(schema.rfind("t_", 0), 0u) << schema;
    EXPECT_EQ(database.database().acquire()->execute("SELECT current_schema()").rows.at(0).text(0), schema);
  }
  PgConnection connection(url_);
  auto left = connection.execute("SELECT COUNT(*) FROM information_schema.schemata WHERE schema_name = $1", {schema});
  EXPECT_EQ(left.rows.at(0).int64(0), 0);  // dropped with the TestDatabase
}

}  // namespace
