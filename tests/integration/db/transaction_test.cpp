#include <gtest/gtest.h>

#include <stdexcept>

#include "db/error.hpp"
#include "db/transaction.hpp"
#include "integration/db/sample_rows.hpp"
#include "support/test_database.hpp"

using namespace mercato::testing;
namespace db = mercato::db;
using db::DbError;
using db::Failure;

namespace {

class Transaction : public BackendTest {};

TEST_P(Transaction, RollsBackWhenAnExceptionEscapes) {
  auto lease = database().acquire();
  EXPECT_THROW(
      {
        db::Transaction tx(*lease);
        insert_user(tx.connection(), sample_id(1), "ada@example.com");
        throw std::runtime_error("work failed");
      },
      std::runtime_error);
  EXPECT_EQ(count_rows(*lease, "users"), 0);
  EXPECT_TRUE(lease->usable());
}

TEST_P(Transaction, CommitsOnCommit) {
  {
    auto lease = database().acquire();
    db::Transaction tx(*lease);
    insert_user(tx.connection(), sample_id(1), "ada@example.com");
    tx.commit();
  }
  EXPECT_EQ(count_rows(*database().acquire(), "users"), 1);
}

TEST_P(Transaction, RunTransactionRollsBackOnException) {
  EXPECT_THROW(db::run_transaction(database(),
                                   [](db::Connection& c) {
                                     insert_user(c, sample_id(1), "ada@example.com");
                                     throw std::runtime_error("work failed");
                                   }),
               std::runtime_error);
  EXPECT_EQ(count_rows(*database().acquire(), "users"), 0);
}

TEST_P(Transaction, RunTransactionRetriesASerializationFailure) {
  int calls = 0;
  auto result = db::run_transaction(database(), [&](db::Connection& c) {
    ++calls;
    insert_user(c, sample_id(calls), "user" + std::to_string(calls) + "@example.com");
    if (calls == 1) throw DbError(Failure::serialization_failure, "simulated conflict");
    return 42;
  });
  EXPECT_EQ(result, 42);
  EXPECT_EQ(calls, 2);
  auto lease = database().acquire();
  auto rows = lease->execute("SELECT email_encrypted FROM users").rows;
  ASSERT_EQ(rows.size(), 1u);  // the first attempt was rolled back
  EXPECT_EQ(rows[0].text(0), "user2@example.com");
}

TEST_P(Transaction, RunTransactionGivesUpAfterAFewAttempts) {
  int calls = 0;
  try {
    db::run_transaction(database(), [&](db::Connection&) {
      ++calls;
      throw DbError(Failure::serialization_failure, "always conflicting");
    });
    FAIL() << "expected a DbError";
  } catch (const DbError& e) {
    EXPECT_TRUE(e.retryable());
  }
  EXPECT_EQ(calls, 3);
}

TEST_P(Transaction, RunTransactionDoesNotRetryOtherErrors) {
  int calls = 0;
  auto work = [&](db::Connection& c) {
    ++calls;
    insert_user(c, sample_id(1), "ada@example.com");
    insert_user(c, sample_id(2), "ada@example.com");
  };
  try {
    db::run_transaction(database(), work);
    FAIL() << "expected a DbError";
  } catch (const DbError& e) {
    EXPECT_EQ(e.failure(), Failure::unique_violation);
  }
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(count_rows(*database().acquire(), "users"), 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, Transaction, ::testing::Values(Backend::sqlite, Backend::postgres),
                         backend_param_name);

}  // namespace
