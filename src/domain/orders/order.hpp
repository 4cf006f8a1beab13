#pragma once
// An order and its items, as stored and as answered, and how orders are listed.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mercato::domain {

enum class OrderStatus { pending, paid, shipped, delivered, cancelled };

std::string_view to_string(OrderStatus status) noexcept;
std::optional<OrderStatus> parse_order_status(std::string_view text) noexcept;

struct OrderItem {
  std::string id;
  std::string order_id;
  std::string product_id;
  std::string vendor_id;  // the product's vendor when it was bought
  std::int64_t quantity = 0;
  std::int64_t price_at_purchase = 0;  // per unit, minor units
  std::string created_at;
  std::string updated_at;
};

struct Order {
  std::string id;
  std::string user_id;
  OrderStatus status = OrderStatus::pending;
  std::optional<std::string> payment_status;  // the latest payment's, if any
  std::int64_t total_price = 0;
  std::string currency;
  std::vector<OrderItem> items;
  std::optional<std::string> delivered_at;
  std::string created_at;
  std::string updated_at;
};

// One line of a new order, as the customer asks for it.
struct OrderLine {
  std::string product_id;
  std::int64_t quantity = 0;
};

struct OrderFilter {
  std::optional<OrderStatus> status;
  std::optional<std::string> user_id;    // admins' filter; set to the caller for customers
  std::optional<std::string> vendor_id;  // set to the caller for vendors: orders holding their items
};

struct OrderCursor {
  std::string created_at;
  std::string id;
};

struct OrderPage {
  std::vector<Order> orders;
  bool has_more = false;
};

// What subscribers to order events learn, and who may learn it.
struct OrderStatusChanged {
  std::string event_id;  // the status change's sequence number, in commit order
  std::string order_id;
  std::string user_id;
  std::vector<std::string> vendor_ids;
  OrderStatus status = OrderStatus::pending;
  OrderStatus previous_status = OrderStatus::pending;
  std::string updated_at;
};

}  // namespace mercato::domain
