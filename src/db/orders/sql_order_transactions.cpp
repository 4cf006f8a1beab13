#include "db/orders/sql_order_transactions.hpp"

#include "db/audit/sql_audit_log.hpp"
#include "db/idempotency/sql_idempotency_keys.hpp"
#include "db/orders/sql_inventory_repository.hpp"
#include "db/orders/order_event_payload.hpp"
#include "db/orders/sql_order_repository.hpp"
#include "db/transaction.hpp"

namespace mercato::db {

namespace {

// NOTIFY inside the transaction on PostgreSQL; kept for after the commit on SQLite.
class SqlOrderEventPublisher final : public domain::OrderEventPublisher {
 public:
  SqlOrderEventPublisher(Connection& connection, const std::string& channel)
      : connection_(connection), channel_(channel) {}

  void publish(const domain::OrderStatusChanged& event) override {
    if (connection_.dialect() == Dialect::postgres)
      connection_.execute("SELECT pg_notify($1, $2)", {channel_, encode_order_event(event)});
    else
      committed_.push_back(event);
  }
  const std::vector<domain::OrderStatusChanged>& pending_local() const noexcept { return committed_; }

 private:
  Connection& connection_;
  const std::string& channel_;
  std::vector<domain::OrderStatusChanged> committed_;
};

class SqlOrderStore final : public domain::OrderStore {
 public:
  SqlOrderStore(Connection& connection, observability::Logger& log, const Clock& clock,
                security::RandomSource& random, const std::string& channel)
      : orders_(connection),
        inventory_(connection),
        audit_(connection, log, clock, random),
        idempotency_(connection),
        events_(connection, channel) {}

  domain::OrderRepository& orders() override { return orders_; }
  domain::InventoryRepository& inventory() override { return inventory_; }
  domain::AuditLog& audit() override { return audit_; }
  domain::IdempotencyCompletion& idempotency() override { return idempotency_; }
  domain::OrderEventPublisher& events() override { return events_; }
  const std::vector<domain::OrderStatusChanged>& local_events() const noexcept { return events_.pending_local(); }

 private:
  SqlOrderRepository orders_;
  SqlInventoryRepository inventory_;
  SqlAuditLog audit_;
  SqlIdempotencyCompletion idempotency_;
  SqlOrderEventPublisher events_;
};

}  // namespace

const std::string& SqlOrderTransactions::channel() {
  std::lock_guard lock(channel_mutex_);
  if (!channel_) channel_ = order_events_channel(database_);
  return *channel_;
}

void SqlOrderTransactions::run(const std::function<void(domain::OrderStore&)>& work) {
  run_with([&](Connection&, domain::OrderStore& store) { work(store); });
}

void SqlOrderTransactions::read(const std::function<void(domain::OrderStore&)>& work) {
  read_with([&](Connection&, domain::OrderStore& store) { work(store); });
}

void SqlOrderTransactions::run_with(const ConnectionWork& work) {
  const auto& events_channel = channel();
  std::unique_lock<std::mutex> in_commit_order;
  if (deliver_locally_) in_commit_order = std::unique_lock(local_order_);
  auto committed = run_transaction(database_, [&](Connection& connection) {
    SqlOrderStore store(connection, log_, clock_, random_, events_channel);
    work(connection, store);
    return store.local_events();
  });
  if (deliver_locally_)
    for (const auto& event : committed) deliver_locally_(event);
}

void SqlOrderTransactions::read_with(const ConnectionWork& work) {
  const auto& events_channel = channel();
  auto lease = database_.acquire();
  SqlOrderStore store(*lease, log_, clock_, random_, events_channel);
  work(*lease, store);
}

}  // namespace mercato::db
