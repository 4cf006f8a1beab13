#include <gtest/gtest.h>

#include <limits>
#include <regex>

#include "core/time_format.hpp"
#include "db/error.hpp"
#include "integration/db/sample_rows.hpp"
#include "support/test_database.hpp"

using namespace mercato::testing;
namespace db = mercato::db;
using db::DbError;
using db::Failure;

namespace {

class DbValues : public BackendTest {};

TEST_P(DbValues, ParametersBindByNumberNotByPosition) {
  auto lease = database().acquire();
  auto row = lease->execute("SELECT $2, $1, $2", {std::string("first"), std::string("second")}).rows.at(0);
  EXPECT_EQ(row.text(0), "second");
  EXPECT_EQ(row.text(1), "first");
  EXPECT_EQ(row.text(2), "second");
  lease->execute(
      "INSERT INTO users (password_hash, email_encrypted, id, created_at, updated_at, email_index) "
      "VALUES ('hash', $2, $1, $3, $3, $4)",
      {sample_id(1), std::string("ada@example.com"), sample_time, sample_email_index("ada@example.com")});
  auto user = lease->execute("SELECT id, email_encrypted FROM users").rows.at(0);
  EXPECT_EQ(user.text(0), sample_id(1));
  EXPECT_EQ(user.text(1), "ada@example.com");
}

TEST_P(DbValues, NullBoolAndInt64RoundTrip) {
  auto lease = database().acquire();
  insert_user(*lease, sample_id(1), "vendor@example.com");
  insert_category(*lease, sample_id(2), "Lighting");
  constexpr auto big = std::numeric_limits<std::int64_t>::max();
  lease->execute(
      "INSERT INTO products (id, name, price, stock_quantity, category_id, vendor_id, deleted_at, created_at, "
      "updated_at) VALUES ($1, 'Lamp', $2, 7, $3, $4, $5, $6, $6)",
      {sample_id(3), std::int64_t{1999}, sample_id(2), sample_id(1), db::Null{}, sample_time});
  // Order totals have no upper bound but the type's.
  lease->execute("INSERT INTO orders (id, user_id, total_price, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)",
                 {sample_id(4), sample_id(1), big, sample_time});
  lease->execute("UPDATE users SET email_verified = $1, disabled = $2", {true, false});
  auto product = lease->execute("SELECT price, deleted_at, stock_quantity FROM products").rows.at(0);
  EXPECT_EQ(product.int64(0), 1999);
  EXPECT_EQ(lease->execute("SELECT total_price FROM orders").rows.at(0).int64(0), big);
  EXPECT_TRUE(product.is_null(1));
  EXPECT_EQ(product.optional_int64(1), std::nullopt);
  EXPECT_EQ(product.optional_int64(2), 7);
  auto user = lease->execute("SELECT email_verified, disabled FROM users").rows.at(0);
  EXPECT_TRUE(user.boolean(0));
  EXPECT_FALSE(user.boolean(1));
  auto small = lease->execute("SELECT $1", {std::numeric_limits<std::int64_t>::min()}).rows.at(0);
  EXPECT_EQ(small.int64(0), std::numeric_limits<std::int64_t>::min());
  EXPECT_TRUE(lease->execute("SELECT $1", {db::Null{}}).rows.at(0).is_null(0));
}

TEST_P(DbValues, TextRoundTripsUnchanged) {
  auto lease = database().acquire();
  const std::string name = "Lampe d'été \"Ø\" ✓ -- ; DROP TABLE users";
  insert_category(*lease, sample_id(1), name);
  EXPECT_EQ(lease->execute("SELECT name FROM categories WHERE id = $1", {sample_id(1)}).rows.at(0).text(0), name);
}

TEST_P(DbValues, TimestampsRoundTripAsRfc3339WithMicroseconds) {
  auto lease = database().acquire();
  insert_user(*lease, sample_id(1), "ada@example.com");
  auto row = lease->execute("SELECT created_at, updated_at FROM users").rows.at(0);
  EXPECT_EQ(row.text(0), sample_time);
  auto now = mercato::format_rfc3339(std::chrono::system_clock::now());
  lease->execute("UPDATE users SET updated_at = $1", {now});
  auto updated = lease->execute("SELECT updated_at FROM users").rows.at(0).text(0);
  EXPECT_EQ(updated, now);
  EXPECT_TRUE(std::regex_match(updated, std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z)"))) << updated;
}

TEST_P(DbValues, AffectedRowsCountWritesOnly) {
  auto lease = database().acquire();
  insert_user(*lease, sample_id(1), "a@example.com");
  insert_user(*lease, sample_id(2), "b@example.com");
  EXPECT_EQ(lease->execute("UPDATE users SET disabled = $1", {true}).affected_rows, 2);
  EXPECT_EQ(lease->execute("UPDATE users SET disabled = $1 WHERE id = $2", {false, sample_id(9)}).affected_rows, 0);
  EXPECT_EQ(lease->execute("SELECT id FROM users").affected_rows, 0);
  EXPECT_EQ(lease->execute("DELETE FROM users WHERE id = $1", {sample_id(2)}).affected_rows, 1);
  auto result = lease->execute("SELECT id, email_encrypted FROM users");
  EXPECT_EQ(result.columns, (std::vector<std::string>{"id", "email_encrypted"}));
}

TEST_P(DbValues, CachedStatementsFollowSchemaChanges) {
  auto lease = database().acquire();
  insert_category(*lease, sample_id(1), "Lighting");
  auto before = lease->execute("SELECT * FROM categories").columns.size();
  lease->execute_script("ALTER TABLE categories ADD COLUMN icon TEXT");
  auto after = lease->execute("SELECT * FROM categories");
  EXPECT_EQ(after.columns.size(), before + 1);
  EXPECT_EQ(after.rows.at(0).size(), before + 1);
}

TEST_P(DbValues, ExecuteRunsExactlyOneStatement) {
  auto lease = database().acquire();
  EXPECT_THROW(lease->execute("SELECT 1; SELECT 2"), DbError);
  EXPECT_EQ(lease->execute("SELECT 1;").rows.size(), 1u);
  EXPECT_TRUE(lease->usable());
}

TEST_P(DbValues, WrongParameterCountIsAnErrorOnAHealthyConnection) {
  auto lease = database().acquire();
  try {
    lease->execute("SELECT $1, $2", {std::int64_t{1}});
    FAIL() << "expected a DbError";
  } catch (const DbError& e) {
    EXPECT_EQ(e.failure(), Failure::other);
  }
  EXPECT_TRUE(lease->usable());
  EXPECT_EQ(lease->execute("SELECT $1", {std::int64_t{5}}).rows.at(0).int64(0), 5);
}

INSTANTIATE_TEST_SUITE_P(Backends, DbValues, ::testing::Values(Backend::sqlite, Backend::postgres),
                         backend_param_name);

}  // namespace
