#pragma once
// Stripe Event objects (https://docs.stripe.com/api/events): a snapshot of the object that
// changed, recorded in the state and queued for webhook delivery.

#include <boost/json/object.hpp>

#include <string_view>

#include "stripe_emulator/operation_context.hpp"

namespace mercato::stripe_emulator {

// The API version the emulator's objects follow; answers echo a client's Stripe-Version.
inline constexpr std::string_view emulator_api_version = "2024-06-20";

// Records `type` with a copy of `object` as it is now; `previous_attributes` for *.updated.
const StoredEvent& record_event(OperationContext& context, std::string_view type, boost::json::object object,
                                boost::json::object previous_attributes = {});

}  // namespace mercato::stripe_emulator
