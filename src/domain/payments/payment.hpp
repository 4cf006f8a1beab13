#pragma once
// A payment attempt, its refunds and its transaction log, as stored and as answered.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mercato::domain {

enum class PaymentStatus { pending, completed, failed, refunded };

std::string_view to_string(PaymentStatus status) noexcept;
std::optional<PaymentStatus> parse_payment_status(std::string_view text) noexcept;

struct Payment {
  std::string id;
  std::string order_id;
  std::string user_id;  // the order's customer (not a column: read with the order)
  PaymentStatus status = PaymentStatus::pending;
  std::string gateway;                        // "stripe" | "paypal"
  std::optional<std::string> transaction_id;  // the gateway's charge, once money moved
  std::optional<std::string> intent_id;       // the gateway's payment intent
  std::int64_t amount = 0;                    // minor units, the order's total
  std::int64_t amount_refunded = 0;           // by succeeded refunds
  std::string currency;
  std::optional<std::string> failure_code;     // why the last attempt failed
  std::optional<std::string> failure_message;  // the gateway's words for the customer
  std::string created_at;
  std::string updated_at;

  // Money was taken (a charge exists), so refunds are possible.
  bool captured() const noexcept { return transaction_id.has_value(); }
};

// Refund statuses as gateways report them; a refund only moves forward:
// pending/requires_action, then succeeded, then (rarely, later) failed or canceled.
enum class RefundStatus { pending, requires_action, succeeded, failed, canceled };

std::string_view to_string(RefundStatus status) noexcept;
std::optional<RefundStatus> parse_refund_status(std::string_view text) noexcept;
// 0 pending/requires_action, 1 succeeded, 2 failed/canceled: a status of lower rank never
// replaces one of higher rank, whatever order the gateway's events arrive in.
int rank(RefundStatus status) noexcept;
// Holds money back from what may still be refunded.
inline bool reserves_amount(RefundStatus status) noexcept {
  return status != RefundStatus::failed && status != RefundStatus::canceled;
}

struct Refund {
  std::string id;
  std::string payment_id;
  std::int64_t amount = 0;
  std::string currency;
  RefundStatus status = RefundStatus::pending;
  std::optional<std::string> reason;
  std::optional<std::string> gateway_refund_id;
  std::string idempotency_key;
  std::optional<std::string> requested_by;  // none: the system
  std::string created_at;
  std::string updated_at;
};

// One row of a payment's transaction log.
struct PaymentEvent {
  enum class Type { attempt_created, gateway_call, gateway_error, webhook, status_changed, refund_requested, refund_updated };
  std::string id;
  std::string payment_id;
  Type type = Type::attempt_created;
  std::optional<std::string> from_status;
  std::optional<std::string> to_status;
  std::optional<std::string> gateway_id;
  std::optional<std::int64_t> amount;
  std::optional<std::string> detail;  // never a secret
  std::optional<std::string> actor_id;
  std::string created_at;
};

std::string_view to_string(PaymentEvent::Type type) noexcept;
std::optional<PaymentEvent::Type> parse_payment_event_type(std::string_view text) noexcept;

struct PaymentEventCursor {
  std::string created_at;
  std::string id;
};

struct PaymentEventPage {
  std::vector<PaymentEvent> events;
  bool has_more = false;
};

}  // namespace mercato::domain
