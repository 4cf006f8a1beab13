#include "domain/orders/order_service.hpp"

#include <algorithm>
#include <map>

#include "core/error.hpp"
#include "core/time_format.hpp"
#include "domain/accounts/guards.hpp"
#include "domain/orders/order_status_change.hpp"
#include "security/digest.hpp"
#include "security/uuid.hpp"

namespace mercato::domain {

namespace {

struct MergedLines {
  std::vector<OrderLine> lines;        // one per product, by product id (the lock order)
  std::vector<std::size_t> positions;  // each line's first position in the request
};

std::string item_field(std::size_t position, std::string_view name) {
  return "items[" + std::to_string(position) + "]." + std::string(name);
}

// Sorting by product id makes every transaction lock products in the same order, so two
// orders over the same products wait for each other instead of deadlocking.
MergedLines merge(const std::vector<OrderLine>& lines) {
  if (lines.empty()) throw Error::validation({{"items", "Must hold at least one item."}});
  std::map<std::string, std::pair<std::int64_t, std::size_t>> by_product;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    auto [it, fresh] = by_product.try_emplace(lines[i].product_id, 0, i);
    it->second.first += lines[i].quantity;
  }
  if (by_product.size() > max_order_lines)
    throw Error::validation({{"items", "Must hold at most " + std::to_string(max_order_lines) + " products."}});
  MergedLines merged;
  std::vector<FieldError> errors;
  for (const auto& [product_id, entry] : by_product) {
    if (entry.first > max_line_quantity)
      errors.push_back({item_field(entry.second, "quantity"),
                        "At most " + std::to_string(max_line_quantity) + " of one product per order."});
    merged.lines.push_back({product_id, entry.first});
    merged.positions.push_back(entry.second);
  }
  if (!errors.empty()) throw Error::validation(std::move(errors));
  return merged;
}

std::string fingerprint(const std::vector<OrderLine>& merged) {
  std::string text = "POST /api/orders\n";
  for (const auto& line : merged) text += line.product_id + ' ' + std::to_string(line.quantity) + '\n';
  return security::sha256_hex(text);
}

bool is_admin(const Principal& p) { return p.role == "admin"; }

// What a viewer may see of an order: nullopt when nothing (then 404, never 403).
std::optional<Order> visible_part(const Principal& viewer, Order order) {
  if (is_admin(viewer) || order.user_id == viewer.user_id) return order;
  if (viewer.role != "vendor") return std::nullopt;
  std::erase_if(order.items, [&](const OrderItem& item) { return item.vendor_id != viewer.user_id; });
  if (order.items.empty()) return std::nullopt;
  // A vendor learns what it sold, not what the customer bought from others.
  order.total_price = 0;
  for (const auto& item : order.items) order.total_price += item.price_at_purchase * item.quantity;
  return order;
}

Error not_found() { return Error::not_found("No such order."); }

AuditEvent audit_of(const RequestContext& ctx, std::string event, const std::string& order_id, std::string what) {
  return AuditEvent{std::move(event), true, ctx.actor ? ctx.actor->user_id : "", order_id, ctx.ip, ctx.request_id,
                    std::move(what)};
}

}  // namespace

std::string OrderService::now_text() const { return format_rfc3339(clock_.now()); }

PlacedOrder OrderService::place(const RequestContext& ctx, const std::vector<OrderLine>& lines,
                                const std::optional<std::string>& idempotency_key) {
  const auto& actor = ctx.actor.value();
  require_verified_email(actor);
  auto merged = merge(lines);
  std::optional<IdempotencyKey> key;
  IdempotencyClaim claim;
  if (idempotency_key) {
    key = IdempotencyKey{actor.user_id, "orders", *idempotency_key, fingerprint(merged.lines)};
    claim = idempotency_.claim(*key);
    if (claim.completed_resource_id) return {get(actor, *claim.completed_resource_id), true};
  }
  try {
    Order order;
    transactions_.run([&](OrderStore& store) {
      order = insert_order(store, ctx, merged.lines, merged.positions);
      if (key && !store.idempotency().complete(*key, claim.token, order.id, order.created_at))
        throw Error::conflict("idempotency_key_in_use", "Another request took over this Idempotency-Key.");
    });
    metrics_.count(observability::BusinessMetric::orders_created);  // committed; a replay returned above
    return {std::move(order), false};
  } catch (...) {
    if (key) idempotency_.release(*key, claim);
    throw;
  }
}

Order OrderService::insert_order(OrderStore& store, const RequestContext& ctx, const std::vector<OrderLine>& merged,
                                 const std::vector<std::size_t>& positions) {
  auto now = now_text();
  Order order{security::uuid_v7(clock_, random_), ctx.actor->user_id, OrderStatus::pending, std::nullopt, 0, {}, {},
              std::nullopt, now, now};
  for (std::size_t i = 0; i < merged.size(); ++i) {
    const auto& line = merged[i];
    auto take = store.inventory().take(line.product_id, line.quantity);
    if (take.result == StockTake::Result::unavailable)
      throw Error::validation({{item_field(positions[i], "product_id"),
                                "Product " + line.product_id + " does not exist or is no longer sold."}});
    if (take.result == StockTake::Result::insufficient)
      throw Error::conflict("insufficient_stock", "Only " + std::to_string(take.available) + " of product " +
                                                      line.product_id + " left.")
          .with_field_errors({{item_field(positions[i], "quantity"), "Only " + std::to_string(take.available) + " left."}})
          .with_extension("product_id", line.product_id)
          .with_extension("available", take.available);
    if (order.currency.empty()) order.currency = take.currency;
    if (take.currency != order.currency)
      throw Error::validation({{item_field(positions[i], "product_id"),
                                "Priced in " + take.currency + "; an order holds one currency (" + order.currency + ")."}});
    order.items.push_back({security::uuid_v7(clock_, random_), order.id, line.product_id, take.vendor_id, line.quantity,
                           take.price, now, now});
    order.total_price += take.price * line.quantity;
  }
  // Reads list items by id; the answer to this request must match them.
  std::sort(order.items.begin(), order.items.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  store.orders().insert(order);
  store.orders().add_history({security::uuid_v7(clock_, random_), order.id, std::nullopt, OrderStatus::pending,
                              ctx.actor->user_id, ctx.actor->role, now, std::nullopt});
  store.audit().record(audit_of(ctx, "order_placed", order.id, "total " + std::to_string(order.total_price) + " " +
                                                                   order.currency));
  return order;
}

Order OrderService::get(const Principal& viewer, std::string_view id) {
  std::optional<Order> order;
  transactions_.read([&](OrderStore& store) { order = store.orders().find(id); });
  if (!order) throw not_found();
  auto visible = visible_part(viewer, std::move(*order));
  if (!visible) throw not_found();
  return *visible;
}

OrderPage OrderService::list(const Principal& viewer, OrderFilter filter, std::size_t limit,
                             const std::optional<OrderCursor>& after) {
  if (viewer.role == "customer") {
    filter.user_id = viewer.user_id;
  } else if (viewer.role == "vendor") {
    filter.user_id.reset();  // a filter of admins only
    filter.vendor_id = viewer.user_id;
  } else if (!is_admin(viewer)) {
    return {};
  }
  OrderPage page;
  transactions_.read([&](OrderStore& store) { page = store.orders().list(filter, limit, after); });
  for (auto& order : page.orders)
    if (auto visible = visible_part(viewer, order)) order = std::move(*visible);
  return page;
}

Order OrderService::change_status(const RequestContext& ctx, std::string_view id, OrderStatus to) {
  return transition(ctx, id, to, [](const Order&) { return OrderActor::admin; });
}

Order OrderService::cancel(const RequestContext& ctx, std::string_view id) {
  const auto& actor = ctx.actor.value();
  return transition(ctx, id, OrderStatus::cancelled, [&](const Order& order) {
    if (is_admin(actor)) return OrderActor::admin;
    if (order.user_id == actor.user_id) return OrderActor::owner;
    // A vendor who sees the order may not cancel it; to anyone else it does not exist.
    if (visible_part(actor, order)) throw Error{ErrorKind::forbidden, "forbidden", "Only the customer or an admin may cancel an order."};
    throw not_found();
  });
}

std::vector<OrderStatusChanged> OrderService::events_since(const Principal& viewer, std::int64_t last_event_id,
                                                          std::size_t limit) {
  OrderFilter filter;
  if (viewer.role == "customer") filter.user_id = viewer.user_id;
  else if (viewer.role == "vendor") filter.vendor_id = viewer.user_id;
  else if (!is_admin(viewer)) return {};
  std::vector<OrderStatusChanged> events;
  transactions_.read([&](OrderStore& store) { events = store.orders().history_after(filter, last_event_id, limit); });
  return events;
}

std::int64_t OrderService::latest_event_id() {
  std::int64_t latest = 0;
  transactions_.read([&](OrderStore& store) { latest = store.orders().latest_event_sequence(); });
  return latest;
}

Order OrderService::transition(const RequestContext& ctx, std::string_view id, OrderStatus to,
                               const std::function<OrderActor(const Order&)>& actor_of) {
  const auto& actor = ctx.actor.value();
  Order order;
  OrderStatus from = OrderStatus::pending;
  transactions_.run([&](OrderStore& store) {
    auto current = store.orders().find_for_update(id);
    if (!current) throw not_found();
    order = std::move(*current);
    from = order.status;
    if (!transition_allowed(from, to, actor_of(order)))
      throw Error::conflict("invalid_transition", "An order cannot go from " + std::string(to_string(from)) + " to " +
                                                      std::string(to_string(to)) + ".");
    apply_status_change(store, order, to, ctx, clock_, random_);
  });
  if (to == OrderStatus::cancelled) cancellations_.order_cancelled(order, from);
  return visible_part(actor, order).value_or(order);
}

}  // namespace mercato::domain
