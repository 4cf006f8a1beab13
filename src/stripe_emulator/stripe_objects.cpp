#include "stripe_emulator/stripe_objects.hpp"

#include <boost/json/array.hpp>
#include <boost/json/value_from.hpp>

#include <chrono>

namespace mercato::stripe_emulator {

namespace {

template <class T>
boost::json::value or_null(const std::optional<T>& value) {
  if (!value) return nullptr;
  return boost::json::value_from(*value);
}

// Test cards expire a few years after they are used, like the ones in Stripe's dashboard.
std::int64_t expiry_year(std::int64_t created) {
  auto day = std::chrono::floor<std::chrono::days>(std::chrono::sys_seconds{std::chrono::seconds{created}});
  return static_cast<int>(std::chrono::year_month_day{day}.year()) + 3;
}

boost::json::object outcome(const Charge& charge) {
  if (charge.paid)
    return {{"network_status", "approved_by_network"}, {"reason", nullptr},         {"risk_level", "normal"},
            {"seller_message", "Payment complete."},  {"type", "authorized"}};
  return {{"network_status", "declined_by_network"},
          {"reason", charge.card->decline_code},
          {"risk_level", "normal"},
          {"seller_message", "The bank did not return any further details with this decline."},
          {"type", "issuer_declined"}};
}

}  // namespace

std::string_view to_string(IntentStatus status) noexcept {
  switch (status) {
    case IntentStatus::requires_payment_method: return "requires_payment_method";
    case IntentStatus::requires_confirmation: return "requires_confirmation";
    case IntentStatus::requires_action: return "requires_action";
    case IntentStatus::succeeded: return "succeeded";
    case IntentStatus::canceled: return "canceled";
  }
  return "requires_payment_method";
}

std::string_view to_string(RefundStatus status) noexcept {
  switch (status) {
    case RefundStatus::pending: return "pending";
    case RefundStatus::succeeded: return "succeeded";
    case RefundStatus::failed: return "failed";
  }
  return "pending";
}

boost::json::object to_json(const PaymentMethod& method) {
  boost::json::object card{{"brand", method.card->brand}, {"country", "US"},
                           {"exp_month", 12},             {"exp_year", expiry_year(method.created)},
                           {"funding", "credit"},         {"last4", method.card->last4}};
  boost::json::object address{{"city", nullptr},        {"country", nullptr}, {"line1", nullptr},
                              {"line2", nullptr},       {"postal_code", nullptr}, {"state", nullptr}};
  return {{"id", method.id},
          {"object", "payment_method"},
          {"billing_details", {{"address", address}, {"email", nullptr}, {"name", nullptr}, {"phone", nullptr}}},
          {"card", card},
          {"created", method.created},
          {"customer", nullptr},
          {"livemode", false},
          {"metadata", boost::json::object{}},
          {"type", "card"}};
}

boost::json::object to_json(const PaymentIntent& intent) {
  boost::json::value automatic = nullptr;
  if (intent.automatic_payment_methods) automatic = boost::json::object{{"enabled", true}};
  boost::json::value last_error = nullptr;
  if (intent.last_payment_error) last_error = *intent.last_payment_error;
  return {{"id", intent.id},
          {"object", "payment_intent"},
          {"amount", intent.amount},
          {"amount_capturable", 0},
          {"amount_received", intent.amount_received},
          {"automatic_payment_methods", automatic},
          {"canceled_at", or_null(intent.canceled_at)},
          {"cancellation_reason", or_null(intent.cancellation_reason)},
          {"capture_method", "automatic"},
          {"client_secret", intent.client_secret},
          {"confirmation_method", "automatic"},
          {"created", intent.created},
          {"currency", intent.currency},
          {"customer", nullptr},
          {"description", or_null(intent.description)},
          {"last_payment_error", last_error},
          {"latest_charge", or_null(intent.latest_charge)},
          {"livemode", false},
          {"metadata", intent.metadata},
          {"next_action", nullptr},
          {"payment_method", or_null(intent.payment_method)},
          {"payment_method_types", boost::json::array{"card"}},
          {"status", to_string(intent.status)}};
}

boost::json::object to_json(const Charge& charge) {
  boost::json::object card{{"brand", charge.card->brand}, {"country", "US"}, {"funding", "credit"},
                           {"last4", charge.card->last4}};
  boost::json::value failure_code = nullptr;
  boost::json::value failure_message = nullptr;
  if (!charge.paid) {
    failure_code = charge.card->code;
    failure_message = charge.card->message;
  }
  return {{"id", charge.id},
          {"object", "charge"},
          {"amount", charge.amount},
          {"amount_captured", charge.paid ? charge.amount : 0},
          {"amount_refunded", charge.amount_refunded},
          {"balance_transaction", nullptr},
          {"captured", charge.paid},
          {"created", charge.created},
          {"currency", charge.currency},
          {"description", or_null(charge.description)},
          {"failure_code", failure_code},
          {"failure_message", failure_message},
          {"livemode", false},
          {"metadata", charge.metadata},
          {"outcome", outcome(charge)},
          {"paid", charge.paid},
          {"payment_intent", charge.payment_intent},
          {"payment_method", charge.payment_method},
          {"payment_method_details", {{"card", card}, {"type", "card"}}},
          {"refunded", charge.paid && charge.amount_refunded == charge.amount},
          {"status", charge.paid ? "succeeded" : "failed"}};
}

boost::json::object to_json(const Refund& refund) {
  return {{"id", refund.id},
          {"object", "refund"},
          {"amount", refund.amount},
          {"balance_transaction", nullptr},
          {"charge", refund.charge},
          {"created", refund.created},
          {"currency", refund.currency},
          {"failure_reason", or_null(refund.failure_reason)},
          {"metadata", refund.metadata},
          {"payment_intent", refund.payment_intent},
          {"reason", or_null(refund.reason)},
          {"receipt_number", nullptr},
          {"status", to_string(refund.status)}};
}

}  // namespace mercato::stripe_emulator
