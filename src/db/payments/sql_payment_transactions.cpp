#include "db/payments/sql_payment_transactions.hpp"

#include "db/audit/sql_audit_log.hpp"
#include "db/idempotency/sql_idempotency_keys.hpp"
#include "db/payments/sql_payment_event_log.hpp"
#include "db/payments/sql_payment_repository.hpp"
#include "db/payments/sql_refund_repository.hpp"
#include "db/payments/sql_webhook_event_repository.hpp"

namespace mercato::db {

namespace {

class SqlPaymentStore final : public domain::PaymentStore {
 public:
  SqlPaymentStore(Connection& connection, domain::OrderStore& orders, observability::Logger& log, const Clock& clock,
                  security::RandomSource& random)
      : payments_(connection),
        refunds_(connection),
        log_(connection, log),
        webhooks_(connection),
        idempotency_(connection),
        audit_(connection, log, clock, random),
        orders_(orders) {}

  domain::PaymentRepository& payments() override { return payments_; }
  domain::RefundRepository& refunds() override { return refunds_; }
  domain::PaymentEventLog& log() override { return log_; }
  domain::WebhookEventRepository& webhooks() override { return webhooks_; }
  domain::IdempotencyCompletion& idempotency() override { return idempotency_; }
  domain::AuditLog& audit() override { return audit_; }
  domain::OrderStore& order_store() override { return orders_; }

 private:
  SqlPaymentRepository payments_;
  SqlRefundRepository refunds_;
  SqlPaymentEventLog log_;
  SqlWebhookEventRepository webhooks_;
  SqlIdempotencyCompletion idempotency_;
  SqlAuditLog audit_;
  domain::OrderStore& orders_;
};

}  // namespace

void SqlPaymentTransactions::run(const std::function<void(domain::PaymentStore&)>& work) {
  orders_.run_with([&](Connection& connection, domain::OrderStore& orders) {
    SqlPaymentStore store(connection, orders, log_, clock_, random_);
    work(store);
  });
}

void SqlPaymentTransactions::read(const std::function<void(domain::PaymentStore&)>& work) {
  orders_.read_with([&](Connection& connection, domain::OrderStore& orders) {
    SqlPaymentStore store(connection, orders, log_, clock_, random_);
    work(store);
  });
}

}  // namespace mercato::db
