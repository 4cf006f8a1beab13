#pragma once
// Binds the order repositories to one pooled connection, in a transaction for changes
// and without one for reads.

#include "core/clock.hpp"
#include "db/database.hpp"
#include "domain/orders/order_store.hpp"
#include "observability/logger.hpp"
#include "security/random.hpp"

namespace mercato::db {

class SqlOrderTransactions final : public domain::OrderTransactions {
 public:
  SqlOrderTransactions(Database& database, observability::Logger& log, const Clock& clock,
                       security::RandomSource& random)
      : database_(database), log_(log), clock_(clock), random_(random) {}

  void run(const std::function<void(domain::OrderStore&)>& work) override;
  void read(const std::function<void(domain::OrderStore&)>& work) override;

 private:
  Database& database_;
  observability::Logger& log_;
  const Clock& clock_;
  security::RandomSource& random_;
};

}  // namespace mercato::db
