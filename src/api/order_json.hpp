#pragma once
// JSON shape of the orders API: Order with its items.

#include <boost/json/value.hpp>

#include "domain/orders/order.hpp"

namespace mercato::api {

boost::json::object order_json(const domain::Order& order);

}  // namespace mercato::api
