#pragma once
// Stripe's PaymentIntent and Refund objects (https://docs.stripe.com/api/payment_intents/object,
// https://docs.stripe.com/api/refunds/object) as the gateway's types, for API answers and
// webhook events alike.

#include <boost/json/object.hpp>

#include <optional>

#include "domain/payments/payment_gateway.hpp"

namespace mercato::clients::stripe {

// nullopt unless id, status, amount and currency are there: without them the answer
// says nothing the service can act on. client_secret may be absent (then empty).
std::optional<domain::GatewayIntent> read_intent(const boost::json::object& intent);

// nullopt unless id, status and amount are there.
std::optional<domain::GatewayRefund> read_refund(const boost::json::object& refund);

}  // namespace mercato::clients::stripe
