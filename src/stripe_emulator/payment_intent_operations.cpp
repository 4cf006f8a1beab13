#include "stripe_emulator/payment_intent_operations.hpp"

#include <algorithm>
#include <cctype>

#include "domain/catalog/currency.hpp"
#include "stripe_emulator/events.hpp"
#include "stripe_emulator/expansion.hpp"
#include "stripe_emulator/money_format.hpp"
#include "stripe_emulator/params.hpp"
#include "stripe_emulator/stripe_ids.hpp"

namespace mercato::stripe_emulator {

namespace {

// Stripe's ceiling for one payment: 99,999,999 minor units ($999,999.99).
constexpr std::int64_t max_amount = 99'999'999;
constexpr std::string_view cancellation_reasons[] = {"duplicate", "fraudulent", "requested_by_customer", "abandoned"};

std::int64_t read_amount(const Params& params) {
  auto amount = params.integer("amount");
  if (!amount) throw parameter_missing("amount");
  if (*amount < 1)
    throw invalid_request(400, "This value must be greater than or equal to 1.", "parameter_invalid_integer", "amount",
                          ErrorPhase::validation);
  if (*amount > max_amount)
    throw invalid_request(400, "Amount must be no more than " + format_amount(max_amount, "usd"), "amount_too_large",
                          "amount", ErrorPhase::validation);
  return *amount;
}

std::string read_currency(const Params& params) {
  auto currency = params.required_text("currency");
  std::transform(currency.begin(), currency.end(), currency.begin(), [](unsigned char c) { return std::tolower(c); });
  if (currency.size() != 3 || !domain::is_known_currency(currency))
    throw invalid_request(400, "Invalid currency: " + currency + ". Stripe currently supports ISO 4217 currencies.",
                          {}, "currency", ErrorPhase::validation);
  return currency;
}

bool read_automatic_payment_methods(const Params& params) {
  auto automatic = params.nested("automatic_payment_methods", {"enabled", "allow_redirects"});
  if (!automatic) return false;
  if (auto redirects = automatic->text("allow_redirects"); redirects && *redirects != "always" && *redirects != "never")
    throw parameter_invalid("automatic_payment_methods[allow_redirects]",
                            "Invalid automatic_payment_methods[allow_redirects]: must be one of always or never");
  return automatic->boolean("enabled").value_or(false);
}

void check_payment_method_types(const Params& params) {
  for (const auto& type : params.list("payment_method_types"))
    if (type != "card")
      throw parameter_invalid("payment_method_types",
                              "The payment method type \"" + type + "\" is not supported by the Stripe emulator.");
}

// A test token (pm_card_visa) becomes a new PaymentMethod, as on Stripe; a pm_ id must exist.
std::string resolve_payment_method(OperationContext& context, const std::string& reference) {
  auto& methods = context.state.payment_methods;
  if (const auto* card = find_test_card(reference)) {
    PaymentMethod method{new_id(context.random, "pm_"), card, context.now_seconds()};
    auto id = method.id;
    methods.emplace(id, std::move(method));
    return id;
  }
  return find_object(methods, reference, "PaymentMethod", "payment_method", 400).id;
}

StripeApiError unexpected_state(EmulatorState& state, const PaymentIntent& intent, std::string_view action,
                                std::string_view allowed) {
  auto error = invalid_request(400,
                               "You cannot " + std::string(action) +
                                   " this PaymentIntent because it has a status of " +
                                   std::string(to_string(intent.status)) +
                                   ". Only a PaymentIntent with one of the following statuses may be " +
                                   std::string(action == "cancel" ? "canceled" : "confirmed") + ": " +
                                   std::string(allowed) + ".",
                               "payment_intent_unexpected_state");
  auto inner = error.error();
  inner["payment_intent"] = intent_json(state, intent);
  return {error.status(), std::move(inner)};
}

Charge make_charge(OperationContext& context, const PaymentIntent& intent, const PaymentMethod& method) {
  Charge charge;
  charge.id = new_id(context.random, "ch_");
  charge.amount = intent.amount;
  charge.currency = intent.currency;
  charge.paid = method.card->behaviour != CardBehaviour::declines;
  charge.payment_intent = intent.id;
  charge.payment_method = method.id;
  charge.card = method.card;
  charge.description = intent.description;
  charge.metadata = intent.metadata;
  charge.created = context.now_seconds();
  return charge;
}

boost::json::object card_error(const Charge& charge, const PaymentMethod& method) {
  return {{"type", "card_error"},
          {"code", method.card->code},
          {"decline_code", method.card->decline_code},
          {"message", method.card->message},
          {"charge", charge.id},
          {"doc_url", doc_url(method.card->code)},
          {"payment_method", to_json(method)}};
}

void succeed(OperationContext& context, PaymentIntent& intent, const Charge& charge) {
  intent.status = IntentStatus::succeeded;
  intent.amount_received = intent.amount;
  intent.payment_method = charge.payment_method;
  intent.last_payment_error.reset();
  record_event(context, "charge.succeeded", to_json(charge));
  record_event(context, "payment_intent.succeeded", intent_json(context.state, intent));
}

// The failed attempt stays visible as last_payment_error; the intent waits for another method.
[[noreturn]] void decline(OperationContext& context, PaymentIntent& intent, const Charge& charge,
                          const PaymentMethod& method) {
  auto error = card_error(charge, method);
  intent.status = IntentStatus::requires_payment_method;
  intent.payment_method.reset();
  intent.last_payment_error = error;
  record_event(context, "payment_intent.payment_failed", intent_json(context.state, intent));
  error["payment_intent"] = intent_json(context.state, intent);
  throw StripeApiError(402, std::move(error));
}

void confirm(OperationContext& context, PaymentIntent& intent, const std::optional<std::string>& payment_method) {
  auto& state = context.state;
  if (intent.status == IntentStatus::succeeded || intent.status == IntentStatus::canceled)
    throw unexpected_state(state, intent, "confirm", "requires_confirmation, requires_payment_method, requires_action");
  if (payment_method) intent.payment_method = resolve_payment_method(context, *payment_method);
  if (!intent.payment_method)
    throw invalid_request(400,
                          "You cannot confirm this PaymentIntent because it's missing a payment method. You can "
                          "either update the PaymentIntent with a payment method and then confirm it again, or "
                          "confirm it again directly with a payment method.",
                          "payment_intent_unexpected_state");
  const auto& method = state.payment_methods.at(*intent.payment_method);
  auto charge = make_charge(context, intent, method);
  intent.latest_charge = charge.id;
  const auto& stored = state.charges.emplace(charge.id, std::move(charge)).first->second;
  if (!stored.paid) decline(context, intent, stored, method);
  succeed(context, intent, stored);
}

}  // namespace

boost::json::object intent_json(EmulatorState& state, const PaymentIntent& intent,
                                const std::vector<std::string>& expand) {
  return expand_fields(to_json(intent), expand, {"latest_charge", "payment_method"},
                       [&state](std::string_view field, std::string_view id) -> std::optional<boost::json::object> {
                         if (field == "latest_charge") return to_json(state.charges.at(std::string(id)));
                         return to_json(state.payment_methods.at(std::string(id)));
                       });
}

boost::json::object create_payment_intent(OperationContext& context, boost::json::object fields) {
  Params params(std::move(fields), {"amount", "currency", "metadata", "automatic_payment_methods", "payment_method",
                                    "payment_method_types", "confirm", "description", "return_url", "expand"});
  PaymentIntent intent;
  intent.amount = read_amount(params);
  intent.currency = read_currency(params);
  intent.metadata = params.metadata();
  intent.description = params.text("description");
  intent.automatic_payment_methods = read_automatic_payment_methods(params);
  check_payment_method_types(params);
  auto expand = params.list("expand");
  bool confirm_now = params.boolean("confirm").value_or(false);
  auto payment_method = params.text("payment_method");
  if (confirm_now && !payment_method) throw parameter_missing("payment_method");
  if (params.has("return_url") && !confirm_now)
    throw invalid_request(400, "You can only pass in return_url if confirm is set to true.", {}, "return_url",
                          ErrorPhase::validation);

  intent.id = new_id(context.random, "pi_");
  intent.client_secret = intent.id + "_secret_" + random_alphanumeric(context.random, client_secret_length);
  intent.created = context.now_seconds();
  if (payment_method) {
    intent.payment_method = resolve_payment_method(context, *payment_method);
    intent.status = IntentStatus::requires_confirmation;
  }
  auto& stored = context.state.payment_intents.emplace(intent.id, std::move(intent)).first->second;
  record_event(context, "payment_intent.created", intent_json(context.state, stored));
  if (confirm_now) confirm(context, stored, std::nullopt);
  return intent_json(context.state, stored, expand);
}

boost::json::object retrieve_payment_intent(OperationContext& context, std::string_view id,
                                            boost::json::object fields) {
  Params params(std::move(fields), {"expand", "client_secret"});
  auto& intent = find_object(context.state.payment_intents, id, "payment_intent", "intent");
  return intent_json(context.state, intent, params.list("expand"));
}

boost::json::object confirm_payment_intent(OperationContext& context, std::string_view id,
                                           boost::json::object fields) {
  Params params(std::move(fields), {"payment_method", "return_url", "expand"});
  auto expand = params.list("expand");
  auto& intent = find_object(context.state.payment_intents, id, "payment_intent", "intent");
  confirm(context, intent, params.text("payment_method"));
  return intent_json(context.state, intent, expand);
}

boost::json::object cancel_payment_intent(OperationContext& context, std::string_view id,
                                          boost::json::object fields) {
  Params params(std::move(fields), {"cancellation_reason", "expand"});
  auto reason = params.text("cancellation_reason");
  if (reason && std::find(std::begin(cancellation_reasons), std::end(cancellation_reasons), *reason) ==
                    std::end(cancellation_reasons))
    throw parameter_invalid("cancellation_reason",
                            "Invalid cancellation_reason: must be one of duplicate, fraudulent, "
                            "requested_by_customer, or abandoned");
  auto expand = params.list("expand");
  auto& intent = find_object(context.state.payment_intents, id, "payment_intent", "intent");
  if (intent.status == IntentStatus::succeeded || intent.status == IntentStatus::canceled)
    throw unexpected_state(context.state, intent, "cancel",
                           "requires_payment_method, requires_capture, requires_confirmation, requires_action, "
                           "processing");
  intent.status = IntentStatus::canceled;
  intent.canceled_at = context.now_seconds();
  intent.cancellation_reason = reason;
  record_event(context, "payment_intent.canceled", intent_json(context.state, intent));
  return intent_json(context.state, intent, expand);
}

}  // namespace mercato::stripe_emulator
