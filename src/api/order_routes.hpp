#pragma once
// Routes of /api/orders.

#include "domain/orders/order_service.hpp"
#include "http/router.hpp"

namespace mercato::api {

void add_order_routes(http::Router& router, domain::OrderService& orders);

}  // namespace mercato::api
