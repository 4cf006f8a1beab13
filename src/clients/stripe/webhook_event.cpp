#include "clients/stripe/webhook_event.hpp"

#include <boost/json/object.hpp>

#include "clients/stripe/json_fields.hpp"
#include "clients/stripe/stripe_objects.hpp"

namespace mercato::clients::stripe {

namespace {

using Type = domain::GatewayEvent::Type;
using boost::json::object;

std::optional<std::string> metadata_at(const object& stripe_object, std::string_view key) {
  auto* metadata = object_at(stripe_object, "metadata");
  return metadata ? string_at(*metadata, key) : std::nullopt;
}

void fill_intent(domain::GatewayEvent& event, const object& intent) {
  event.intent_id = string_at(intent, "id");
  event.payment_id = metadata_at(intent, "payment_id");
  event.charge_id = id_at(intent, "latest_charge");
  // What was actually collected once it succeeded; what was asked for otherwise.
  auto amount = event.type == Type::intent_succeeded ? integer_at(intent, "amount_received") : std::nullopt;
  event.amount = amount ? *amount : integer_at(intent, "amount").value_or(0);
  if (auto* error = object_at(intent, "last_payment_error")) {
    // decline_code says why a card was declined; code alone often just says "card_declined".
    event.failure_code = string_at(*error, "decline_code");
    if (!event.failure_code) event.failure_code = string_at(*error, "code");
    event.failure_message = string_at(*error, "message");
  }
}

void fill_charge(domain::GatewayEvent& event, const object& charge) {
  event.intent_id = id_at(charge, "payment_intent");
  event.charge_id = string_at(charge, "id");
  event.amount = integer_at(charge, "amount_refunded").value_or(0);
  event.payment_id = metadata_at(charge, "payment_id");
}

void fill_refund(domain::GatewayEvent& event, const object& refund) {
  event.refund = read_refund(refund);  // absent when the object lacks id, status or amount
  if (event.refund) event.amount = event.refund->amount;
  event.intent_id = id_at(refund, "payment_intent");
  event.charge_id = id_at(refund, "charge");
  event.payment_id = metadata_at(refund, "payment_id");
}

}  // namespace

Type event_type(std::string_view name) noexcept {
  if (name == "payment_intent.succeeded") return Type::intent_succeeded;
  if (name == "payment_intent.payment_failed") return Type::intent_failed;
  if (name == "payment_intent.canceled") return Type::intent_canceled;
  if (name == "charge.refunded") return Type::charge_refunded;
  if (name == "refund.created" || name == "refund.updated" || name == "refund.failed" ||
      name == "charge.refund.updated")
    return Type::refund_updated;
  return Type::other;
}

domain::GatewayEvent parse_event(std::string_view raw_body) {
  auto root = parse_object(raw_body);
  if (!root) throw domain::WebhookRejected("malformed event");
  auto id = string_at(*root, "id");
  auto type = string_at(*root, "type");
  auto* data = object_at(*root, "data");
  auto* stripe_object = data ? object_at(*data, "object") : nullptr;
  if (!id || id->empty() || !type || !stripe_object) throw domain::WebhookRejected("malformed event");

  domain::GatewayEvent event;
  event.id = std::move(*id);
  event.type = event_type(*type);
  event.type_name = std::move(*type);
  event.created = integer_at(*root, "created").value_or(0);
  switch (event.type) {
    case Type::intent_succeeded:
    case Type::intent_failed:
    case Type::intent_canceled:
      fill_intent(event, *stripe_object);
      break;
    case Type::charge_refunded:
      fill_charge(event, *stripe_object);
      break;
    case Type::refund_updated:
      fill_refund(event, *stripe_object);
      break;
    case Type::other:
      break;
  }
  return event;
}

}  // namespace mercato::clients::stripe
