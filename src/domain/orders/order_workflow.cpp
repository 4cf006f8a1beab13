#include "domain/orders/order_workflow.hpp"

#include <algorithm>
#include <array>

namespace mercato::domain {

namespace {

using S = OrderStatus;
using A = OrderActor;

constexpr std::array<A, 2> payments_or_admin{A::payments, A::admin};
constexpr std::array<A, 1> admin_only{A::admin};
constexpr std::array<A, 2> owner_or_admin{A::owner, A::admin};

// Never cancelled once shipped; nothing leaves delivered or cancelled (refunds of a
// delivered order are the payments' business and do not change the order's status).
constexpr std::array<OrderTransition, 5> transitions{{
    {S::pending, S::paid, payments_or_admin},
    {S::paid, S::shipped, admin_only},
    {S::shipped, S::delivered, admin_only},
    {S::pending, S::cancelled, owner_or_admin},
    {S::paid, S::cancelled, owner_or_admin},
}};

}  // namespace

std::span<const OrderTransition> order_transitions() { return transitions; }

bool transition_allowed(OrderStatus from, OrderStatus to, OrderActor actor) {
  return std::any_of(transitions.begin(), transitions.end(), [&](const OrderTransition& t) {
    return t.from == from && t.to == to && std::find(t.who.begin(), t.who.end(), actor) != t.who.end();
  });
}

}  // namespace mercato::domain
