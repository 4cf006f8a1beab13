#include <gtest/gtest.h>

#include <algorithm>
#include <exception>
#include <latch>
#include <map>
#include <set>
#include <thread>

#include "db/migrations.hpp"
#include "support/test_database.hpp"

using namespace mercato::testing;
namespace db = mercato::db;

namespace {

// Every column of the migrated schema, per table: 0001 makes the six tables of the
// specification; 0002 replaces users.email by its ciphertext and blind index and adds the
// account tables.
const std::map<std::string, std::vector<std::string>> current_columns = {
    {"users",
     {"id", "email_encrypted", "email_index", "password_hash", "role", "email_verified", "disabled", "created_at",
      "updated_at"}},
    {"refresh_token_families", {"id", "user_id", "created_at", "expires_at", "revoked_at", "revoked_reason"}},
    {"refresh_tokens", {"id", "family_id", "token_hash", "created_at", "spent_at"}},
    {"one_time_tokens",
     {"id", "user_id", "purpose", "token_hash", "created_at", "expires_at", "used_at", "voided_at"}},
    {"audit_log", {"id", "occurred_at", "event", "outcome", "actor_id", "subject_id", "ip", "request_id", "details"}},
    {"outbound_emails",
     {"id", "payload_encrypted", "created_at", "attempts", "next_attempt_at", "sent_at", "last_error"}},
    {"categories", {"id", "name", "description", "created_at", "updated_at"}},
    {"products",
     {"id", "name", "description", "price", "currency", "stock_quantity", "category_id", "vendor_id", "deleted_at",
      "created_at", "updated_at"}},
    {"orders", {"id", "user_id", "status", "total_price", "currency", "created_at", "updated_at"}},
    {"order_items", {"id", "order_id", "product_id", "quantity", "price_at_purchase", "created_at", "updated_at"}},
    {"payments",
     {"id", "order_id", "status", "payment_gateway", "transaction_id", "amount", "currency", "created_at",
      "updated_at"}},
};

std::set<std::string> column_names(db::Connection& connection, const std::string& table) {
  auto sql = connection.dialect() == db::Dialect::sqlite
                 ? "SELECT name FROM pragma_table_info($1)"
                 : "SELECT column_name FROM information_schema.columns "
                   "WHERE table_schema = current_schema() AND table_name = $1";
  std::set<std::string> names;
  for (const auto& row : connection.execute(sql, {table}).rows) names.insert(row.text(0));
  return names;
}

// Tables, columns, indexes and the migration log: what a second migrate() must not change.
std::vector<std::string> schema_snapshot(db::Connection& connection) {
  auto sql = connection.dialect() == db::Dialect::sqlite
                 ? "SELECT type || ' ' || name || ' ' || COALESCE(sql, '') FROM sqlite_master"
                 : "SELECT table_name || '.' || column_name || ' ' || data_type FROM information_schema.columns "
                   "WHERE table_schema = current_schema() "
                   "UNION ALL SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema()";
  std::vector<std::string> out;
  for (const auto& row : connection.execute(sql).rows) out.push_back(row.text(0));
  for (const auto& row : connection.execute("SELECT version, name, applied_at FROM schema_migrations").rows)
    out.push_back(row.text(0) + " " + row.text(1) + " " + row.text(2));
  std::sort(out.begin(), out.end());
  return out;
}

class Migration : public BackendTest {
 protected:
  TestDatabaseOptions database_options() const override { return {.migrate = false}; }
  const std::vector<db::Migration>& migrations() const { return db::embedded_migrations(dialect()); }
  int known() const {
    int out = 0;
    for (const auto& m : migrations()) out = std::max(out, m.version);
    return out;
  }
};

TEST_P(Migration, CreatesEveryTableAndColumnOnAnEmptyDatabase) {
  EXPECT_EQ(db::migrate(database(), migrations()), static_cast<int>(migrations().size()));
  auto lease = database().acquire();
  for (const auto& [table, columns] : current_columns) {
    auto actual = column_names(*lease, table);
    for (const auto& column : columns) EXPECT_TRUE(actual.contains(column)) << table << "." << column;
  }
  EXPECT_FALSE(column_names(*lease, "users").contains("email")) << "no plaintext email column";
}

TEST_P(Migration, SecondRunAppliesNothingAndChangesNothing) {
  db::migrate(database(), migrations());
  auto before = schema_snapshot(*database().acquire());
  EXPECT_EQ(db::migrate(database(), migrations()), 0);
  EXPECT_EQ(schema_snapshot(*database().acquire()), before);
  auto status = db::schema_status(database(), migrations());
  EXPECT_EQ(status.applied, known());
  EXPECT_EQ(status.known, known());
}

TEST_P(Migration, StatusOfAnEmptyDatabaseIsZero) {
  auto status = db::schema_status(database(), migrations());
  EXPECT_EQ(status.applied, 0);
  EXPECT_EQ(status.known, known());
}

// Every start checks the schema; the check must not write (no table made on the way).
TEST_P(Migration, StatusLeavesAnEmptyDatabaseEmpty) {
  db::schema_status(database(), migrations());
  EXPECT_EQ(db::schema_status(database(), migrations()).applied, 0);
  auto tables = database().acquire()->execute(
      GetParam() == Backend::postgres
          ? "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema()"
          : "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'");
  EXPECT_EQ(tables.rows.at(0).int64(0), 0);
}

TEST_P(Migration, StatusShowsADatabaseMigratedByANewerBinary) {
  db::migrate(database(), migrations());
  database().acquire()->execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
                                {std::int64_t{known() + 1}, std::string("from_the_future"),
                                 std::string("2030-01-01T00:00:00.000000Z")});
  auto status = db::schema_status(database(), migrations());
  EXPECT_EQ(status.applied, known() + 1);
  EXPECT_GT(status.applied, status.known);
  EXPECT_EQ(db::migrate(database(), migrations()), 0);
}

// Two processes starting at once: each migration must run exactly once.
TEST_P(Migration, ConcurrentRunsApplyEachMigrationOnce) {
  auto other = db_->open({});
  std::latch start(2);  // released together, so that both runs really overlap
  int applied[2] = {0, 0};
  std::exception_ptr failure[2];
  auto run = [&](int i, db::Database& target) {
    start.arrive_and_wait();
    try {
      applied[i] = db::migrate(target, migrations());
    } catch (...) {
      failure[i] = std::current_exception();
    }
  };
  std::thread first(run, 0, std::ref(database()));
  std::thread second(run, 1, std::ref(*other));
  first.join();
  second.join();
  for (auto& f : failure)
    if (f) std::rethrow_exception(f);
  EXPECT_EQ(applied[0] + applied[1], static_cast<int>(migrations().size()));
  auto lease = database().acquire();
  auto counts = lease->execute("SELECT COUNT(*), COUNT(DISTINCT version) FROM schema_migrations").rows.at(0);
  EXPECT_EQ(counts.int64(0), static_cast<std::int64_t>(migrations().size()));
  EXPECT_EQ(counts.int64(1), counts.int64(0));
}

INSTANTIATE_TEST_SUITE_P(Backends, Migration, ::testing::Values(Backend::sqlite, Backend::postgres),
                         backend_param_name);

}  // namespace
