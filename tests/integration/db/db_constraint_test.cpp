#include <gtest/gtest.h>

#include "support/db_error_of.hpp"

#include "db/error.hpp"
#include "integration/db/sample_rows.hpp"
#include "support/test_database.hpp"

using namespace mercato::testing;
namespace db = mercato::db;
using db::DbError;
using db::Failure;
using mercato::ErrorKind;

namespace {

class DbConstraint : public BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    auto lease = database().acquire();
    insert_user(*lease, vendor_, "vendor@example.com");
    insert_category(*lease, category_, "Lighting");
  }

  const std::string vendor_ = sample_id(1);
  const std::string category_ = sample_id(2);
};

TEST_P(DbConstraint, DuplicateEmailIsAUniqueViolation) {
  auto lease = database().acquire();
  auto error = error_of([&] { insert_user(*lease, sample_id(3), "vendor@example.com"); });
  EXPECT_EQ(error.failure(), Failure::unique_violation);
  EXPECT_EQ(error.kind(), ErrorKind::conflict);
  // PostgreSQL names the index (users_email_key), SQLite the column (users.email).
  EXPECT_NE(error.constraint().find("email"), std::string::npos) << error.constraint();
  EXPECT_TRUE(lease->usable());
  EXPECT_EQ(count_rows(*lease, "users"), 1);
}

TEST_P(DbConstraint, DuplicatePrimaryKeyIsAUniqueViolation) {
  auto lease = database().acquire();
  auto error = error_of([&] { insert_user(*lease, vendor_, "other@example.com"); });
  EXPECT_EQ(error.failure(), Failure::unique_violation);
}

TEST_P(DbConstraint, UnknownCategoryIsAForeignKeyViolation) {
  auto lease = database().acquire();
  auto error = error_of([&] { insert_product(*lease, sample_id(4), sample_id(99), vendor_, 1); });
  EXPECT_EQ(error.failure(), Failure::foreign_key_violation);
  EXPECT_EQ(error.kind(), ErrorKind::conflict);
}

TEST_P(DbConstraint, NegativeStockIsACheckViolation) {
  auto lease = database().acquire();
  auto error = error_of([&] { insert_product(*lease, sample_id(4), category_, vendor_, -1); });
  EXPECT_EQ(error.failure(), Failure::check_violation);
  EXPECT_EQ(error.kind(), ErrorKind::invalid);
  insert_product(*lease, sample_id(4), category_, vendor_, 0);
  EXPECT_EQ(count_rows(*lease, "products"), 1);
}

TEST_P(DbConstraint, MissingValueIsANotNullViolation) {
  auto lease = database().acquire();
  auto error = error_of([&] {
    lease->execute("INSERT INTO categories (id, name, created_at, updated_at) VALUES ($1, $2, $3, $3)",
                   {sample_id(5), db::Null{}, sample_time});
  });
  EXPECT_EQ(error.failure(), Failure::not_null_violation);
  EXPECT_EQ(error.kind(), ErrorKind::invalid);
}

TEST_P(DbConstraint, SyntaxErrorsAreInternalAndLeaveTheConnectionUsable) {
  auto lease = database().acquire();
  auto error = error_of([&] { lease->execute("SELEC 1"); });
  EXPECT_EQ(error.failure(), Failure::other);
  EXPECT_EQ(error.kind(), ErrorKind::internal);
  EXPECT_TRUE(lease->usable());
  EXPECT_EQ(lease->execute("SELECT 1").rows.at(0).int64(0), 1);
}

INSTANTIATE_TEST_SUITE_P(Backends, DbConstraint, ::testing::Values(Backend::sqlite, Backend::postgres),
                         backend_param_name);

}  // namespace
