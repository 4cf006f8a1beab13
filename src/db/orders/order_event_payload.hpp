#pragma once
// An order status change as the JSON text that travels between server processes
// (PostgreSQL NOTIFY payloads, at most 8000 bytes: an order's at most 100 vendors fit).

#include <optional>
#include <string>
#include <string_view>

#include "domain/orders/order.hpp"

namespace mercato::db {

std::string encode_order_event(const domain::OrderStatusChanged& event);
// nullopt for text that is not one of ours.
std::optional<domain::OrderStatusChanged> decode_order_event(std::string_view text);

}  // namespace mercato::db
