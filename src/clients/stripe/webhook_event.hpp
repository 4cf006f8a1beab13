#pragma once
// A Stripe event (https://docs.stripe.com/api/events/object) reduced to what the payments
// service acts on. Call only on a body whose signature was verified.

#include <string_view>

#include "domain/payments/payment_gateway.hpp"

namespace mercato::clients::stripe {

domain::GatewayEvent::Type event_type(std::string_view type_name) noexcept;

// Throws domain::WebhookRejected("malformed event") for invalid JSON or an event without
// id, type or data.object. Fields missing from the object stay empty: the service decides.
domain::GatewayEvent parse_event(std::string_view raw_body);

}  // namespace mercato::clients::stripe
