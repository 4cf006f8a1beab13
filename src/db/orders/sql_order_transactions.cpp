#include "db/orders/sql_order_transactions.hpp"

#include "db/audit/sql_audit_log.hpp"
#include "db/idempotency/sql_idempotency_keys.hpp"
#include "db/orders/sql_inventory_repository.hpp"
#include "db/orders/sql_order_repository.hpp"
#include "db/transaction.hpp"

namespace mercato::db {

namespace {

class SqlOrderStore final : public domain::OrderStore {
 public:
  SqlOrderStore(Connection& connection, observability::Logger& log, const Clock& clock,
                security::RandomSource& random)
      : orders_(connection), inventory_(connection), audit_(connection, log, clock, random), idempotency_(connection) {}

  domain::OrderRepository& orders() override { return orders_; }
  domain::InventoryRepository& inventory() override { return inventory_; }
  domain::AuditLog& audit() override { return audit_; }
  domain::IdempotencyCompletion& idempotency() override { return idempotency_; }

 private:
  SqlOrderRepository orders_;
  SqlInventoryRepository inventory_;
  SqlAuditLog audit_;
  SqlIdempotencyCompletion idempotency_;
};

}  // namespace

void SqlOrderTransactions::run(const std::function<void(domain::OrderStore&)>& work) {
  run_transaction(database_, [&](Connection& connection) {
    SqlOrderStore store(connection, log_, clock_, random_);
    work(store);
  });
}

void SqlOrderTransactions::read(const std::function<void(domain::OrderStore&)>& work) {
  auto lease = database_.acquire();
  SqlOrderStore store(*lease, log_, clock_, random_);
  work(store);
}

}  // namespace mercato::db
