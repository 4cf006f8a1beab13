#pragma once
// JSON shape of the payments API: Payment and its transaction log.

#include <boost/json/value.hpp>

#include "domain/payments/payment.hpp"

namespace mercato::api {

boost::json::object payment_json(const domain::Payment& payment);
boost::json::object payment_event_json(const domain::PaymentEvent& event);

}  // namespace mercato::api
