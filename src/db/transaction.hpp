#pragma once
// RAII transaction: rolls back unless commit() was called.

#include <type_traits>

#include "db/database.hpp"
#include "db/error.hpp"

namespace mercato::db {

class Transaction {
 public:
  explicit Transaction(Connection& connection) : connection_(connection) { connection_.begin(); }
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction() {
    if (!finished_) connection_.rollback();
  }

  Connection& connection() noexcept { return connection_; }
  void commit() {
    finished_ = true;  // a failed COMMIT has already ended the transaction
    connection_.commit();
  }

 private:
  Connection& connection_;
  bool finished_ = false;
};

// Runs `work(Connection&)` in a transaction on a pooled connection and commits. A
// serialization failure or deadlock is retried a few times on a fresh transaction.
template <class Work>
auto run_transaction(Database& database, Work&& work) -> std::invoke_result_t<Work&, Connection&> {
  constexpr int attempts = 3;
  for (int attempt = 1;; ++attempt) {
    auto lease = database.acquire();
    try {
      Transaction tx(*lease);
      if constexpr (std::is_void_v<std::invoke_result_t<Work&, Connection&>>) {
        work(*lease);
        tx.commit();
        return;
      } else {
        auto result = work(*lease);
        tx.commit();
        return result;
      }
    } catch (const DbError& e) {
      if (!e.retryable() || attempt == attempts) throw;
    }
  }
}

}  // namespace mercato::db
