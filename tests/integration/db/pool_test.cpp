#include <gtest/gtest.h>

#include "db/error.hpp"
#include "db/transaction.hpp"
#include "integration/db/sample_rows.hpp"
#include "support/test_database.hpp"

using namespace mercato::testing;
namespace db = mercato::db;
using db::DbError;
using db::Failure;
using namespace std::chrono_literals;

namespace {

class Pool : public BackendTest {};

TEST_P(Pool, ExhaustionGivesUnavailableAfterTheTimeout) {
  auto pool = db_->open({.max_connections = 1, .acquire_timeout = 20ms});
  {
    auto held = pool->acquire();
    try {
      pool->acquire();
      FAIL() << "expected a DbError";
    } catch (const DbError& e) {
      EXPECT_EQ(e.failure(), Failure::unavailable);
      EXPECT_EQ(e.kind(), mercato::ErrorKind::unavailable);
      EXPECT_EQ(e.retry_after_seconds(), 1);
    }
  }
  EXPECT_EQ(pool->acquire()->execute("SELECT 1").rows.size(), 1u);  // free again once returned
}

TEST_P(Pool, ALeaseReturnedMidTransactionIsNotReused) {
  auto pool = db_->open({.max_connections = 1, .acquire_timeout = 1s});
  {
    auto lease = pool->acquire();
    lease->begin();
    insert_user(*lease, sample_id(1), "ada@example.com");
    EXPECT_FALSE(lease->usable());
  }
  auto lease = pool->acquire();
  EXPECT_TRUE(lease->usable());
  // Reused dirty, the connection would still see its own uncommitted row, and on SQLite
  // would keep the write lock that the transaction below needs.
  EXPECT_EQ(count_rows(*lease, "users"), 0);
  db::Transaction tx(*lease);
  insert_user(tx.connection(), sample_id(2), "bob@example.com");
  tx.commit();
  EXPECT_EQ(count_rows(*database().acquire(), "users"), 1);
}

TEST_P(Pool, ConnectionsAreReusedWhenClean) {
  auto pool = db_->open({.max_connections = 1, .acquire_timeout = 1s});
  const db::Connection* first = nullptr;
  {
    auto lease = pool->acquire();
    first = &*lease;
    lease->execute("SELECT 1");
  }
  auto lease = pool->acquire();
  EXPECT_EQ(&*lease, first);
}

TEST_P(Pool, ClosedPoolRefusesLeases) {
  auto pool = db_->open({});
  pool->close();
  try {
    pool->acquire();
    FAIL() << "expected a DbError";
  } catch (const DbError& e) {
    EXPECT_EQ(e.failure(), Failure::unavailable);
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, Pool, ::testing::Values(Backend::sqlite, Backend::postgres), backend_param_name);

}  // namespace
