#include "domain/orders/order_status_change.hpp"

#include <algorithm>

#include "core/time_format.hpp"
#include "security/uuid.hpp"

namespace mercato::domain {

namespace {

std::vector<std::string> vendors_of(const Order& order) {
  std::vector<std::string> vendors;
  for (const auto& item : order.items)
    if (std::find(vendors.begin(), vendors.end(), item.vendor_id) == vendors.end()) vendors.push_back(item.vendor_id);
  return vendors;
}

// In product-id order, as placing takes it: two transactions over the same products then
// lock them in the same order and never deadlock.
void give_back_stock(OrderStore& store, const Order& order) {
  auto items = order.items;
  std::sort(items.begin(), items.end(), [](const auto& a, const auto& b) { return a.product_id < b.product_id; });
  for (const auto& item : items) store.inventory().give_back(item.product_id, item.quantity);
}

}  // namespace

void apply_status_change(OrderStore& store, Order& order, OrderStatus to, const RequestContext& ctx,
                         const Clock& clock, security::RandomSource& random) {
  auto from = order.status;
  auto now = format_rfc3339(clock.now());
  order.status = to;
  order.updated_at = now;
  if (to == OrderStatus::delivered) order.delivered_at = now;
  if (to == OrderStatus::cancelled) give_back_stock(store, order);
  store.orders().update_status(order);
  auto seq = store.orders().next_event_sequence();
  std::optional<std::string> actor_id;
  std::string role = "system";
  if (ctx.actor) {
    actor_id = ctx.actor->user_id;
    role = ctx.actor->role;
  }
  store.orders().add_history({security::uuid_v7(clock, random), order.id, from, to, actor_id, role, now, seq});
  store.audit().record(AuditEvent{"order_status_changed", true, actor_id.value_or(""), order.id, ctx.ip, ctx.request_id,
                                  std::string(to_string(from)) + " -> " + std::string(to_string(to))});
  store.events().publish({std::to_string(seq), order.id, order.user_id, vendors_of(order), to, from, now});
}

}  // namespace mercato::domain
