#pragma once
// The order status workflow: every allowed transition and who may make it, in one table.

#include <span>

#include "domain/orders/order.hpp"

namespace mercato::domain {

// Who asks for a transition.
enum class OrderActor {
  owner,     // the customer who placed the order
  admin,
  payments,  // the payments service, on the gateway's word
};

struct OrderTransition {
  OrderStatus from;
  OrderStatus to;
  std::span<const OrderActor> who;
};

std::span<const OrderTransition> order_transitions();
bool transition_allowed(OrderStatus from, OrderStatus to, OrderActor actor);

}  // namespace mercato::domain
