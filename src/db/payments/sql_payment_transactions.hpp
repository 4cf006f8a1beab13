#pragma once
// Binds the payment repositories, and the order store, to one pooled connection: in a
// transaction for changes (through SqlOrderTransactions, so that an order made `paid`
// publishes its event as any status change does) and without one for reads.

#include "core/clock.hpp"
#include "db/orders/sql_order_transactions.hpp"
#include "domain/payments/payment_store.hpp"
#include "observability/logger.hpp"
#include "security/random.hpp"

namespace mercato::db {

class SqlPaymentTransactions final : public domain::PaymentTransactions {
 public:
  SqlPaymentTransactions(SqlOrderTransactions& orders, observability::Logger& log, const Clock& clock,
                         security::RandomSource& random)
      : orders_(orders), log_(log), clock_(clock), random_(random) {}

  void run(const std::function<void(domain::PaymentStore&)>& work) override;
  void read(const std::function<void(domain::PaymentStore&)>& work) override;

 private:
  SqlOrderTransactions& orders_;
  observability::Logger& log_;
  const Clock& clock_;
  security::RandomSource& random_;
};

}  // namespace mercato::db
