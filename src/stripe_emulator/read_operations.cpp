#include "stripe_emulator/read_operations.hpp"

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>

#include <utility>

#include "stripe_emulator/expansion.hpp"
#include "stripe_emulator/params.hpp"
#include "stripe_emulator/payment_intent_operations.hpp"
#include "stripe_emulator/stripe_errors.hpp"

namespace mercato::stripe_emulator {

boost::json::object retrieve_charge(OperationContext& context, std::string_view id, boost::json::object fields) {
  Params params(std::move(fields), {"expand"});
  auto& state = context.state;
  const auto& charge = find_object(state.charges, id, "charge", "id");
  return expand_fields(to_json(charge), params.list("expand"), {"payment_intent", "payment_method"},
                       [&state](std::string_view field, std::string_view ref) -> std::optional<boost::json::object> {
                         if (field == "payment_intent") return intent_json(state, state.payment_intents.at(std::string(ref)));
                         return to_json(state.payment_methods.at(std::string(ref)));
                       });
}

boost::json::object retrieve_event(OperationContext& context, std::string_view id, boost::json::object fields) {
  Params params(std::move(fields), {"expand"});
  auto event = boost::json::parse(find_object(context.state.events, id, "event", "id").payload).as_object();
  return expand_fields(std::move(event), params.list("expand"), {}, {});
}

boost::json::object list_events(OperationContext& context, boost::json::object fields) {
  Params params(std::move(fields), {"limit", "type"});
  auto limit = params.integer("limit").value_or(10);
  if (limit < 1 || limit > 100)
    throw invalid_request(400, "This value must be between 1 and 100.", "parameter_invalid_integer", "limit",
                          ErrorPhase::validation);
  auto type = params.text("type");
  boost::json::array data;
  const auto& order = context.state.event_order;
  bool has_more = false;
  for (auto it = order.rbegin(); it != order.rend(); ++it) {
    const auto& event = context.state.events.at(*it);
    if (type && event.type != *type) continue;
    if (std::cmp_equal(data.size(), limit)) {
      has_more = true;
      break;
    }
    data.push_back(boost::json::parse(event.payload));
  }
  return {{"object", "list"}, {"data", std::move(data)}, {"has_more", has_more}, {"url", "/v1/events"}};
}

boost::json::object retrieve_payment_method(OperationContext& context, std::string_view id,
                                            boost::json::object fields) {
  Params params(std::move(fields), {"expand"});
  auto method = to_json(find_object(context.state.payment_methods, id, "PaymentMethod", "payment_method"));
  return expand_fields(std::move(method), params.list("expand"), {}, {});
}

}  // namespace mercato::stripe_emulator
