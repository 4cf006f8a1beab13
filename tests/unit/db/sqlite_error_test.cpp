#include <gtest/gtest.h>
#include <sqlite3.h>

#include "db/sqlite/sqlite_error.hpp"

using mercato::ErrorKind;
using mercato::db::classify_sqlite_error;
using mercato::db::Failure;
using mercato::db::is_fatal_sqlite_error;
using mercato::db::sqlite_constraint_name;
using mercato::db::sqlite_error;

TEST(DbSqliteError, ClassifiesConstraintCodes) {
  EXPECT_EQ(classify_sqlite_error(SQLITE_CONSTRAINT_UNIQUE), Failure::unique_violation);
  EXPECT_EQ(classify_sqlite_error(SQLITE_CONSTRAINT_PRIMARYKEY), Failure::unique_violation);
  EXPECT_EQ(classify_sqlite_error(SQLITE_CONSTRAINT_FOREIGNKEY), Failure::foreign_key_violation);
  EXPECT_EQ(classify_sqlite_error(SQLITE_CONSTRAINT_CHECK), Failure::check_violation);
  EXPECT_EQ(classify_sqlite_error(SQLITE_CONSTRAINT_NOTNULL), Failure::not_null_violation);
  EXPECT_EQ(classify_sqlite_error(SQLITE_CONSTRAINT_DATATYPE), Failure::other);
}

TEST(DbSqliteError, TriggerRaiseIsACheckNamedByItsMessage) {
  EXPECT_EQ(classify_sqlite_error(SQLITE_CONSTRAINT_TRIGGER), Failure::check_violation);
  auto error = sqlite_error(SQLITE_CONSTRAINT_TRIGGER, "products_text_limits");
  EXPECT_EQ(error.failure(), Failure::check_violation);
  EXPECT_EQ(error.constraint(), "products_text_limits");
}

TEST(DbSqliteError, ClassifiesLocksAndOutages) {
  EXPECT_EQ(classify_sqlite_error(SQLITE_BUSY), Failure::serialization_failure);
  EXPECT_EQ(classify_sqlite_error(SQLITE_BUSY_SNAPSHOT), Failure::serialization_failure);
  EXPECT_EQ(classify_sqlite_error(SQLITE_LOCKED), Failure::serialization_failure);
  EXPECT_EQ(classify_sqlite_error(SQLITE_CANTOPEN), Failure::unavailable);
  EXPECT_EQ(classify_sqlite_error(SQLITE_IOERR_FSYNC), Failure::unavailable);
  EXPECT_EQ(classify_sqlite_error(SQLITE_FULL), Failure::unavailable);
  EXPECT_EQ(classify_sqlite_error(SQLITE_ERROR), Failure::other);
  EXPECT_EQ(classify_sqlite_error(SQLITE_CORRUPT), Failure::other);
}

TEST(DbSqliteError, MarksBrokenConnectionsFatal) {
  EXPECT_TRUE(is_fatal_sqlite_error(SQLITE_CORRUPT));
  EXPECT_TRUE(is_fatal_sqlite_error(SQLITE_NOTADB));
  EXPECT_TRUE(is_fatal_sqlite_error(SQLITE_IOERR_WRITE));
  EXPECT_FALSE(is_fatal_sqlite_error(SQLITE_BUSY));
  EXPECT_FALSE(is_fatal_sqlite_error(SQLITE_CONSTRAINT_UNIQUE));
}

TEST(DbSqliteError, ExtractsTheConstraintFromTheMessage) {
  EXPECT_EQ(sqlite_constraint_name("UNIQUE constraint failed: users.email"), "users.email");
  EXPECT_EQ(sqlite_constraint_name("UNIQUE constraint failed: index 'categories_name_key'"), "categories_name_key");
  EXPECT_EQ(sqlite_constraint_name("CHECK constraint failed: stock_quantity >= 0"), "stock_quantity >= 0");
  EXPECT_EQ(sqlite_constraint_name("FOREIGN KEY constraint failed"), "");
}

TEST(DbSqliteError, BuildsAClientSafeError) {
  auto error = sqlite_error(SQLITE_CONSTRAINT_UNIQUE, "UNIQUE constraint failed: users.email");
  EXPECT_EQ(error.failure(), Failure::unique_violation);
  EXPECT_EQ(error.kind(), ErrorKind::conflict);
  EXPECT_EQ(error.constraint(), "users.email");
  EXPECT_EQ(error.message().find("users.email"), std::string::npos);  // the detail is for the log only
  EXPECT_NE(std::string(error.what()).find("users.email"), std::string::npos);
}
