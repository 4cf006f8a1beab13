#pragma once
// Binds the order repositories to one pooled connection, in a transaction for changes
// and without one for reads.

#include "core/clock.hpp"
#include <mutex>
#include <optional>

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
      : database_(database), log_(log), clock_(clock), random_(random) {}

  // Asked of the database on first use (not at construction, so that the application
  // starts, and reports its health, while the database is down).
  const std::string& channel();

  void deliver_locally(LocalDelivery deliver) { deliver_locally_ = std::move(deliver); }

  void run(const std::function<void(domain::OrderStore&)>& work) override;
  void read(const std::function<void(domain::OrderStore&)>& work) override;

  // For other areas whose changes move orders (payments): `work` gets the transaction's
  // connection beside the order store, and order events are published as for run().
  using ConnectionWork = std::function<void(Connection&, domain::OrderStore&)>;
  void run_with(const ConnectionWork& work);
  void read_with(const ConnectionWork& work);

 private:
  Database& database_;
  observability::Logger& log_;
  const Clock& clock_;
  security::RandomSource& random_;
  std::mutex channel_mutex_;
  std::optional<std::string> channel_;
  // SQLite: held from before the transaction until its events are delivered, so that
  // subscribers get them in commit order (SQLite runs one writer at a time anyway).
  std::mutex local_order_;
  LocalDelivery deliver_locally_;
};

}  // namespace mercato::db
