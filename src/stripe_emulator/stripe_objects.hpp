#pragma once
// The emulator's objects (PaymentMethod, PaymentIntent, Charge, Refund) and their JSON as
// Stripe's API shows it (https://docs.stripe.com/api). Plain values: EmulatorState owns them.

#include <boost/json/object.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "stripe_emulator/test_cards.hpp"

namespace mercato::stripe_emulator {

struct PaymentMethod {
  std::string id;
  const TestCard* card = nullptr;  // never null once stored
  std::int64_t created = 0;
};

enum class IntentStatus { requires_payment_method, requires_confirmation, requires_action, succeeded, canceled };
std::string_view to_string(IntentStatus status) noexcept;

struct PaymentIntent {
  std::string id;
  std::string client_secret;
  std::int64_t amount = 0;
  std::int64_t amount_received = 0;
  std::string currency;
  IntentStatus status = IntentStatus::requires_payment_method;
  std::optional<std::string> description;
  std::optional<std::string> payment_method;
  std::optional<std::string> latest_charge;
  std::optional<std::string> cancellation_reason;
  std::optional<std::int64_t> canceled_at;
  bool automatic_payment_methods = false;
  boost::json::object metadata;
  std::optional<boost::json::object> last_payment_error;
  std::int64_t created = 0;
};

struct Charge {
  std::string id;
  std::int64_t amount = 0;
  std::int64_t amount_refunded = 0;  // pending refunds count, as on Stripe
  std::string currency;
  bool paid = false;  // false: the charge failed
  std::string payment_intent;
  std::string payment_method;
  const TestCard* card = nullptr;
  std::optional<std::string> description;
  boost::json::object metadata;  // copied from the PaymentIntent when the charge is made
  std::int64_t created = 0;
};

enum class RefundStatus { pending, succeeded, failed };
std::string_view to_string(RefundStatus status) noexcept;

struct Refund {
  std::string id;
  std::int64_t amount = 0;
  std::string charge;
  std::string currency;
  std::string payment_intent;
  RefundStatus status = RefundStatus::succeeded;
  std::optional<std::string> reason;
  std::optional<std::string> failure_reason;
  boost::json::object metadata;
  std::int64_t created = 0;
};

boost::json::object to_json(const PaymentMethod& method);
boost::json::object to_json(const PaymentIntent& intent);
boost::json::object to_json(const Charge& charge);
boost::json::object to_json(const Refund& refund);

}  // namespace mercato::stripe_emulator
