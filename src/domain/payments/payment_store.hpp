#pragma once
// The storage the payments service needs, as interfaces: src/db/payments/ implements them
// in SQL. Every repository of one PaymentStore works inside the same transaction, together
// with the order store, so that a payment and its order change at once.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/audit/audit_log.hpp"
#include "domain/idempotency/idempotency.hpp"
#include "domain/orders/order_store.hpp"
#include "domain/payments/payment.hpp"

namespace mercato::domain {

class PaymentRepository {
 public:
  virtual ~PaymentRepository() = default;
  virtual void insert(const Payment& payment) = 0;
  virtual std::optional<Payment> find(std::string_view id) = 0;
  // Also locks the payment until the transaction ends.
  virtual std::optional<Payment> find_for_update(std::string_view id) = 0;
  virtual std::optional<Payment> find_by_intent(std::string_view gateway, std::string_view intent_id) = 0;
  // The order's attempt in progress (at most one), locked.
  virtual std::optional<Payment> pending_for_order(std::string_view order_id) = 0;
  // The order's payment that took money and still holds some (completed), locked.
  virtual std::optional<Payment> completed_for_order(std::string_view order_id) = 0;
  // Writes status, transaction_id, intent_id, amount_refunded, failure and updated_at.
  virtual void update(const Payment& payment) = 0;
  // The client secret as stored (encrypted); none before the intent exists.
  virtual void store_client_secret(std::string_view id, std::string_view encrypted) = 0;
  virtual std::optional<std::string> client_secret(std::string_view id) = 0;
};

class RefundRepository {
 public:
  virtual ~RefundRepository() = default;
  virtual void insert(const Refund& refund) = 0;
  virtual std::optional<Refund> find_for_update(std::string_view id) = 0;
  virtual std::optional<Refund> find_by_gateway_id_for_update(std::string_view gateway_refund_id) = 0;
  // Writes status, gateway_refund_id and updated_at.
  virtual void update(const Refund& refund) = 0;
  // Held back by refunds that have not failed: what may not be refunded again.
  virtual std::int64_t reserved_amount(std::string_view payment_id) = 0;
  // Refunds not yet succeeded or failed, of one payment or (empty id) of all, oldest first.
  virtual std::vector<Refund> unsettled(std::string_view payment_id, std::size_t limit) = 0;
};

class PaymentEventLog {
 public:
  virtual ~PaymentEventLog() = default;
  // A row, and a JSON log line.
  virtual void append(const PaymentEvent& event) = 0;
  // Oldest first.
  virtual PaymentEventPage list(std::string_view payment_id, std::size_t limit,
                                const std::optional<PaymentEventCursor>& after) = 0;
};

class WebhookEventRepository {
 public:
  virtual ~WebhookEventRepository() = default;
  // False when the event was recorded before (a redelivery).
  virtual bool record_once(std::string_view gateway, std::string_view event_id, std::string_view type,
                           std::string_view encrypted_payload, std::string_view received_at) = 0;
};

class PaymentStore {
 public:
  virtual ~PaymentStore() = default;
  virtual PaymentRepository& payments() = 0;
  virtual RefundRepository& refunds() = 0;
  virtual PaymentEventLog& log() = 0;
  virtual WebhookEventRepository& webhooks() = 0;
  virtual IdempotencyCompletion& idempotency() = 0;
  virtual AuditLog& audit() = 0;
  // The same transaction's order repositories and event publisher.
  virtual OrderStore& order_store() = 0;
};

class PaymentTransactions {
 public:
  virtual ~PaymentTransactions() = default;
  virtual void run(const std::function<void(PaymentStore&)>& work) = 0;
  virtual void read(const std::function<void(PaymentStore&)>& work) = 0;
};

}  // namespace mercato::domain
