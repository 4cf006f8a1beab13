#pragma once
// Binds the order repositories to one pooled connection, in a transaction for changes
// and without one for reads.

#include "core/clock.hpp"
#include "db/database.hpp"
#include "db/orders/order_event_channel.hpp"
#include "domain/orders/order_store.hpp"
#include "observability/logger.hpp"
#include "security/random.hpp"

namespace mercato::db {

// Status changes are published in the transaction: on PostgreSQL as a NOTIFY on the
// deployment's channel (order_event_channel.hpp), which PostgreSQL delivers to every
// listening process on commit only; on SQLite (one process) to `deliver_locally` after the
// commit.
class SqlOrderTransactions final : public domain::OrderTransactions {
 public:
  using LocalDelivery = std::function<void(const domain::OrderStatusChanged&)>;

  SqlOrderTransactions(Database& database, observability::Logger& log, const Clock& clock,
                       security::RandomSource& random)
      : database_(database), log_(log), clock_(clock), random_(random), channel_(order_events_channel(database)) {}

  const std::string& channel() const noexcept { return channel_; }

  void deliver_locally(LocalDelivery deliver) { deliver_locally_ = std::move(deliver); }

  void run(const std::function<void(domain::OrderStore&)>& work) override;
  void read(const std::function<void(domain::OrderStore&)>& work) override;

 private:
  Database& database_;
  observability::Logger& log_;
  const Clock& clock_;
  security::RandomSource& random_;
  std::string channel_;
  LocalDelivery deliver_locally_;
};

}  // namespace mercato::db
