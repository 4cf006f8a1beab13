#include "domain/orders/order.hpp"

#include <array>
#include <utility>

namespace mercato::domain {

namespace {

constexpr std::array<std::pair<OrderStatus, std::string_view>, 5> names{{
    {OrderStatus::pending, "pending"},
    {OrderStatus::paid, "paid"},
    {OrderStatus::shipped, "shipped"},
    {OrderStatus::delivered, "delivered"},
    {OrderStatus::cancelled, "cancelled"},
}};

}  // namespace

std::string_view to_string(OrderStatus status) noexcept {
  for (const auto& [value, name] : names)
    if (value == status) return name;
  return "pending";
}

std::optional<OrderStatus> parse_order_status(std::string_view text) noexcept {
  for (const auto& [value, name] : names)
    if (name == text) return value;
  return std::nullopt;
}

}  // namespace mercato::domain
