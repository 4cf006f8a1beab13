#include "stripe_emulator/refund_operations.hpp"

#include <algorithm>

#include "stripe_emulator/events.hpp"
#include "stripe_emulator/expansion.hpp"
#include "stripe_emulator/money_format.hpp"
#include "stripe_emulator/params.hpp"
#include "stripe_emulator/payment_intent_operations.hpp"
#include "stripe_emulator/stripe_ids.hpp"

namespace mercato::stripe_emulator {

namespace {

constexpr std::string_view refund_reasons[] = {"duplicate", "fraudulent", "requested_by_customer"};

std::optional<std::string> read_reason(const Params& params) {
  auto reason = params.text("reason");
  if (reason && std::find(std::begin(refund_reasons), std::end(refund_reasons), *reason) == std::end(refund_reasons))
    throw parameter_invalid("reason", "Invalid reason: must be one of duplicate, fraudulent, or requested_by_customer");
  return reason;
}

std::optional<std::int64_t> read_amount(const Params& params) {
  auto amount = params.integer("amount");
  if (amount && *amount < 1)
    throw invalid_request(400, "This value must be greater than or equal to 1.", "parameter_invalid_integer", "amount",
                          ErrorPhase::validation);
  return amount;
}

// The charge a refund is for: the one named, or the succeeded charge of the PaymentIntent.
Charge& charge_to_refund(OperationContext& context, const Params& params) {
  auto charge_id = params.text("charge");
  auto intent_id = params.text("payment_intent");
  if (charge_id && intent_id)
    throw invalid_request(400, "You may only specify one of these parameters: charge, payment_intent.", {}, {},
                          ErrorPhase::validation);
  if (!charge_id && !intent_id)
    throw invalid_request(400, "One of the following params should be provided for this request: payment_intent or charge.",
                          "parameter_missing", "payment_intent", ErrorPhase::validation);
  auto& state = context.state;
  if (charge_id) {
    auto& charge = find_object(state.charges, *charge_id, "charge", "charge", 400);
    if (!charge.paid)
      throw invalid_request(400, "Charge " + charge.id + " has not been paid and cannot be refunded.",
                            "charge_not_refundable", "charge");
    return charge;
  }
  auto& intent = find_object(state.payment_intents, *intent_id, "payment_intent", "payment_intent", 400);
  if (intent.status != IntentStatus::succeeded || !intent.latest_charge)
    throw invalid_request(400, "This PaymentIntent does not have a successful charge to refund.",
                          "charge_not_refundable", "payment_intent");
  return state.charges.at(*intent.latest_charge);
}

std::int64_t amount_to_refund(const Charge& charge, std::optional<std::int64_t> requested) {
  auto left = charge.amount - charge.amount_refunded;
  if (left <= 0)
    throw invalid_request(400, "Charge " + charge.id + " has already been refunded.", "charge_already_refunded");
  if (requested && *requested > left)
    throw invalid_request(400,
                          "Refund amount (" + format_amount(*requested, charge.currency) +
                              ") is greater than unrefunded amount on charge (" +
                              format_amount(left, charge.currency) + ")",
                          "amount_too_large", "amount");
  return requested.value_or(left);
}

boost::json::object refund_json(EmulatorState& state, const Refund& refund, const std::vector<std::string>& expand) {
  return expand_fields(to_json(refund), expand, {"charge", "payment_intent"},
                       [&state](std::string_view field, std::string_view id) -> std::optional<boost::json::object> {
                         if (field == "charge") return to_json(state.charges.at(std::string(id)));
                         return intent_json(state, state.payment_intents.at(std::string(id)));
                       });
}

}  // namespace

boost::json::object create_refund(OperationContext& context, boost::json::object fields) {
  Params params(std::move(fields), {"payment_intent", "charge", "amount", "reason", "metadata", "expand"});
  auto requested = read_amount(params);
  auto reason = read_reason(params);
  auto metadata = params.metadata();
  auto expand = params.list("expand");
  auto& charge = charge_to_refund(context, params);

  Refund refund;
  refund.id = new_id(context.random, "re_");
  refund.amount = amount_to_refund(charge, requested);
  refund.charge = charge.id;
  refund.currency = charge.currency;
  refund.payment_intent = charge.payment_intent;
  refund.reason = reason;
  refund.metadata = std::move(metadata);
  refund.created = context.now_seconds();
  if (charge.card->behaviour == CardBehaviour::refund_fails) {
    refund.status = RefundStatus::pending;
    context.state.refunds_to_fail.push_back(refund.id);
  }
  charge.amount_refunded += refund.amount;
  auto& stored = context.state.refunds.emplace(refund.id, std::move(refund)).first->second;
  record_event(context, "refund.created", to_json(stored));
  record_event(context, "charge.refunded", to_json(charge));
  return refund_json(context.state, stored, expand);
}

boost::json::object retrieve_refund(OperationContext& context, std::string_view id, boost::json::object fields) {
  Params params(std::move(fields), {"expand"});
  auto& refund = find_object(context.state.refunds, id, "refund", "refund");
  return refund_json(context.state, refund, params.list("expand"));
}

void fail_pending_refunds(OperationContext& context) {
  auto& state = context.state;
  for (const auto& id : state.refunds_to_fail) {
    auto& refund = state.refunds.at(id);
    auto& charge = state.charges.at(refund.charge);
    refund.status = RefundStatus::failed;
    refund.failure_reason = "declined";
    charge.amount_refunded -= refund.amount;
    record_event(context, "refund.updated", to_json(refund), {{"status", "pending"}, {"failure_reason", nullptr}});
    record_event(context, "refund.failed", to_json(refund));
  }
  state.refunds_to_fail.clear();
}

}  // namespace mercato::stripe_emulator
