#pragma once
// Payments: a payment attempt and its gateway intent for a pending order (idempotent, one
// attempt in progress per order), who sees which, refunds within the window, the gateway's
// webhooks (verified, each event once, in any order), and what a cancellation means for
// the order's money.

#include <atomic>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.hpp"
#include "domain/accounts/request_context.hpp"
#include "domain/idempotency/idempotency_service.hpp"
#include "domain/payments/payment_gateway.hpp"
#include "domain/payments/payment_store.hpp"
#include "observability/logger.hpp"
#include "observability/metrics.hpp"
#include "security/field_cipher.hpp"
#include "security/random.hpp"

namespace mercato::domain {

inline constexpr std::size_t max_refund_reason_chars = 500;

struct PaymentSettings {
  std::chrono::days refund_window{30};  // after delivery, for the customer; admins any time
};

struct InitiatedPayment {
  Payment payment;
  std::string client_secret;  // for Stripe.js; never stored in plaintext
  bool replayed = false;      // answered from an earlier request with the same Idempotency-Key
};

struct WebhookOutcome {
  enum class Result { processed, duplicate, ignored };
  Result result = Result::processed;
  std::string event_type;
};

class PaymentService final : public OrderCancellations {
 public:
  PaymentService(PaymentTransactions& transactions, PaymentGateway& gateway, IdempotencyService& idempotency,
                 const security::FieldCipher& cipher, PaymentSettings settings, observability::Logger& log,
                 observability::Metrics& metrics, const Clock& clock, security::RandomSource& random)
      : transactions_(transactions),
        gateway_(gateway),
        idempotency_(idempotency),
        cipher_(cipher),
        settings_(settings),
        log_(log),
        metrics_(metrics),
        clock_(clock),
        random_(random) {}

  // The owner's payment of a pending order: a new attempt, or the one in progress resumed
  // (two initiations racing get the same intent). 404 for anyone else's order, 409
  // `order_not_payable` unless pending.
  InitiatedPayment initiate(const RequestContext& ctx, std::string_view order_id,
                            const std::optional<std::string>& idempotency_key);
  // The order's customer and admins; 404 for anyone else.
  Payment get(const Principal& viewer, std::string_view id);
  // The transaction log, oldest first (the route admits admins only).
  PaymentEventPage events(std::string_view id, std::size_t limit, const std::optional<PaymentEventCursor>& after);
  // All of what is left when `amount` is none. The customer only within the refund window
  // after delivery (409 `refund_window_expired`); admins any time.
  Payment refund(const RequestContext& ctx, std::string_view payment_id, std::optional<std::int64_t> amount,
                 const std::optional<std::string>& reason);
  // 400 `invalid_signature` when the gateway's signature does not hold; nothing changes then.
  // Counts PaymentsCompleted / PaymentsFailed when an event moves a payment there, and
  // WebhookFailures for a refused event or one whose processing throws.
  WebhookOutcome handle_webhook(const RequestContext& ctx, const PaymentGateway::HeaderLookup& header,
                                std::string_view raw_body);
  // A paid order cancelled: refunded in full. A pending one: its attempt stopped.
  void order_cancelled(const Order& order, OrderStatus previous) noexcept override;
  // Asks the gateway again about refunds it never confirmed (the call failed, or the
  // refund was pending); returns how many were settled. Run periodically.
  std::size_t settle_refunds(std::size_t limit);

 private:
  Payment open_attempt(const RequestContext& ctx, std::string_view order_id);
  GatewayIntent create_intent(const Payment& payment);
  InitiatedPayment record_intent(const std::string& payment_id, const std::optional<GatewayIntent>& intent,
                                 const std::optional<IdempotencyKey>& key, const IdempotencyClaim& claim);
  void check_refund_window(PaymentStore& store, const Payment& payment);
  Refund reserve_refund(PaymentStore& store, const RequestContext& ctx, const Payment& payment,
                        std::optional<std::int64_t> amount, const std::optional<std::string>& reason);
  void send_refund(const RequestContext& ctx, const Refund& refund, const std::string& intent_id);
  void apply_refund(PaymentStore& store, Payment& payment, Refund& refund, const GatewayRefund& result);
  void apply_gateway_refund(PaymentStore& store, Payment& payment, const GatewayRefund& result);
  // `call` names the gateway call that gave `result`, for the log; empty when none did.
  void settle(const std::string& payment_id, const std::string& refund_id, const GatewayRefund& result,
              std::string_view call);
  void refund_cancelled_order(const Order& order);
  void stop_open_attempt(const Order& order);
  void record_gateway_call(PaymentStore& store, const Payment& payment, std::string_view call,
                           const std::string& gateway_id, std::int64_t amount, const std::string& status);
  void record_gateway_error(const std::string& payment_id, std::string_view call, const GatewayError& error);

  WebhookOutcome apply_webhook(const RequestContext& ctx, const GatewayEvent& event, std::string_view raw_body);
  std::optional<Payment> payment_of(PaymentStore& store, const GatewayEvent& event);
  void on_intent_succeeded(PaymentStore& store, const RequestContext& ctx, Payment& payment, const GatewayEvent& event,
                           bool& refund_needed);
  void on_intent_failed(PaymentStore& store, Payment& payment, const GatewayEvent& event);
  std::vector<GatewayRefund> refreshed_refunds(const GatewayEvent& event);

  void set_status(PaymentStore& store, Payment& payment, PaymentStatus to, std::string detail);
  void append(PaymentStore& store, const Payment& payment, PaymentEvent::Type type, PaymentEvent fields);
  std::string now_text() const;
  std::string event_time();

  PaymentTransactions& transactions_;
  PaymentGateway& gateway_;
  IdempotencyService& idempotency_;
  const security::FieldCipher& cipher_;
  PaymentSettings settings_;
  observability::Logger& log_;
  observability::Metrics& metrics_;
  const Clock& clock_;
  security::RandomSource& random_;
  std::atomic<std::int64_t> last_event_micros_{0};
};

}  // namespace mercato::domain
