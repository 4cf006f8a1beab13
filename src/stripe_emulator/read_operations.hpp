#pragma once
// Read-only lookups that need no rules: charges, events and payment methods by id.

#include <boost/json/object.hpp>

#include <string_view>

#include "stripe_emulator/operation_context.hpp"

namespace mercato::stripe_emulator {

boost::json::object retrieve_charge(OperationContext& context, std::string_view id, boost::json::object fields);
// The event exactly as webhooks carried it.
boost::json::object retrieve_event(OperationContext& context, std::string_view id, boost::json::object fields);
// GET /v1/events: newest first, `limit` (1-100, default 10) and an exact `type` filter.
boost::json::object list_events(OperationContext& context, boost::json::object fields);
boost::json::object retrieve_payment_method(OperationContext& context, std::string_view id,
                                            boost::json::object fields);

}  // namespace mercato::stripe_emulator
