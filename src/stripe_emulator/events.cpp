#include "stripe_emulator/events.hpp"

#include <boost/json/serialize.hpp>

#include "stripe_emulator/stripe_ids.hpp"

namespace mercato::stripe_emulator {

namespace {

boost::json::object request_of(const std::optional<RequestOrigin>& origin) {
  if (!origin) return {{"id", nullptr}, {"idempotency_key", nullptr}};
  boost::json::value key = nullptr;
  if (origin->idempotency_key) key = *origin->idempotency_key;
  return {{"id", origin->request_id}, {"idempotency_key", key}};
}

}  // namespace

const StoredEvent& record_event(OperationContext& context, std::string_view type, boost::json::object object,
                                boost::json::object previous_attributes) {
  auto id = new_id(context.random, "evt_");
  boost::json::object data{{"object", std::move(object)}};
  if (!previous_attributes.empty()) data["previous_attributes"] = std::move(previous_attributes);
  boost::json::object event{{"id", id},
                            {"object", "event"},
                            {"api_version", emulator_api_version},
                            {"created", context.now_seconds()},
                            {"data", std::move(data)},
                            {"livemode", false},
                            {"pending_webhooks", context.webhook_endpoints},
                            {"request", request_of(context.origin)},
                            {"type", type}};
  context.state.unpublished_events.push_back(id);
  context.state.event_order.push_back(id);
  auto [it, inserted] =
      context.state.events.emplace(id, StoredEvent{id, std::string(type), boost::json::serialize(event)});
  return it->second;
}

}  // namespace mercato::stripe_emulator
