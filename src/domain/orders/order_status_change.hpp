#pragma once
// One step of an order along the workflow, inside the caller's transaction: what the
// orders service does for customers and admins, and the payments service on a gateway's word.

#include "core/clock.hpp"
#include "domain/accounts/request_context.hpp"
#include "domain/orders/order_store.hpp"
#include "security/random.hpp"

namespace mercato::domain {

// The caller has locked `order` (find_for_update) and checked transition_allowed. Writes
// the status (and delivered_at), returns stock on cancellation, and records the history,
// the audit and the event. Without ctx.actor the change is the system's.
void apply_status_change(OrderStore& store, Order& order, OrderStatus to, const RequestContext& ctx,
                         const Clock& clock, security::RandomSource& random);

}  // namespace mercato::domain
