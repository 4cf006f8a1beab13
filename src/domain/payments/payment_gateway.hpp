#pragma once
// What the payments service needs of a card processor. Stripe implements it
// (clients/stripe/stripe_gateway); another processor is another implementation and a
// configuration value, not a change to the service.

#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mercato::domain {

struct IntentRequest {
  std::string payment_id;
  std::string order_id;
  std::int64_t amount = 0;  // minor units, from the order
  std::string currency;     // lower-case ISO 4217
  // Derived from the payment id: a repeated call (a retry, or two initiations racing for
  // one payment) returns the same intent instead of making a second.
  std::string idempotency_key;
};

// A payment intent as the gateway reports it. status is the gateway's word
// (Stripe: requires_payment_method, requires_confirmation, requires_action, processing,
// requires_capture, canceled, succeeded).
struct GatewayIntent {
  std::string id;
  std::string client_secret;
  std::string status;
  std::int64_t amount = 0;
  std::string currency;
  std::optional<std::string> latest_charge;
};

struct RefundRequest {
  std::string refund_id;  // ours, sent as metadata
  std::string payment_id;
  std::string intent_id;
  std::int64_t amount = 0;
  std::string idempotency_key;  // stored with the refund before the call: a retry never refunds twice
};

// Gateway refund status: pending, requires_action, succeeded, failed, canceled.
struct GatewayRefund {
  std::string id;
  std::string status;
  std::int64_t amount = 0;
  std::optional<std::string> failure_reason;
};

// The gateway refused or could not be reached. `retryable` when the outcome is unknown or
// temporary (network, timeout, 429, 5xx) and the same idempotent call may be repeated.
class GatewayError : public std::runtime_error {
 public:
  enum class Kind {
    unavailable,     // network failure, timeout, 5xx after retries
    rate_limited,    // 429 after retries
    invalid_request, // the gateway refused what we sent (a bug or a state conflict)
    card_declined,   // a card error
    authentication,  // our secret key was refused
  };
  GatewayError(Kind kind, std::string code, std::string message)
      : std::runtime_error(message), kind_(kind), code_(std::move(code)) {}
  Kind kind() const noexcept { return kind_; }
  // The gateway's own code (e.g. "card_declined", "charge_already_refunded"); may be empty.
  const std::string& code() const noexcept { return code_; }
  bool retryable() const noexcept { return kind_ == Kind::unavailable || kind_ == Kind::rate_limited; }

 private:
  Kind kind_;
  std::string code_;
};

// One verified webhook event, reduced to what the service acts on.
struct GatewayEvent {
  enum class Type {
    intent_succeeded,  // payment_intent.succeeded
    intent_failed,     // payment_intent.payment_failed
    intent_canceled,   // payment_intent.canceled
    charge_refunded,   // charge.refunded: some refund of the charge changed; it does not say which
    refund_updated,    // refund.updated / refund.created / refund.failed: one refund, by its id
    other,             // logged and acknowledged
  };
  std::string id;         // the gateway's event id (evt_...), recorded once
  std::string type_name;  // as the gateway names it
  Type type = Type::other;
  std::int64_t created = 0;  // unix seconds, the gateway's clock
  std::optional<std::string> intent_id;
  std::optional<std::string> payment_id;  // our metadata, when present
  std::optional<std::string> charge_id;
  std::optional<std::string> failure_code;     // intent_failed
  std::optional<std::string> failure_message;  // intent_failed
  std::optional<GatewayRefund> refund;         // refund_updated
  std::int64_t amount = 0;                     // intent: amount; charge: amount_refunded so far
};

// Why a webhook was refused before anything looked at its content.
class WebhookRejected : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class PaymentGateway {
 public:
  virtual ~PaymentGateway() = default;
  virtual std::string_view name() const noexcept = 0;  // "stripe" | "paypal": payments.payment_gateway
  virtual GatewayIntent create_intent(const IntentRequest& request) = 0;
  virtual GatewayIntent retrieve_intent(std::string_view intent_id) = 0;
  // Best effort: stops an intent that is no longer wanted (its order was cancelled).
  virtual void cancel_intent(std::string_view intent_id, std::string_view idempotency_key) = 0;
  virtual GatewayRefund create_refund(const RefundRequest& request) = 0;
  virtual GatewayRefund retrieve_refund(std::string_view refund_id) = 0;

  using HeaderLookup = std::function<std::optional<std::string>(std::string_view name)>;
  // Verifies the signature over the raw body first, then parses. Throws WebhookRejected
  // (nothing must change) for a missing, bad or stale signature or a malformed event.
  virtual GatewayEvent read_webhook(const HeaderLookup& header, std::string_view raw_body) = 0;
};

}  // namespace mercato::domain
