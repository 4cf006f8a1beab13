#include "db/orders/sql_order_repository.hpp"

#include <map>

#include "db/error.hpp"

namespace mercato::db {

namespace {

// The latest payment's status travels with the order, so that a storefront needs one call.
constexpr std::string_view order_columns =
    "o.id, o.user_id, o.status, "
    "(SELECT p.status FROM payments p WHERE p.order_id = o.id ORDER BY p.created_at DESC, p.id DESC LIMIT 1), "
    "o.total_price, o.currency, o.delivered_at, o.created_at, o.updated_at";

constexpr std::string_view item_columns =
    "id, order_id, product_id, vendor_id, quantity, price_at_purchase, created_at, updated_at";

constexpr std::string_view insert_order_sql =
    "INSERT INTO orders (id, user_id, status, total_price, currency, created_at, updated_at) "
    "VALUES ($1, $2, $3, $4, $5, $6, $6)";
constexpr std::string_view insert_item_sql =
    "INSERT INTO order_items (id, order_id, product_id, vendor_id, quantity, price_at_purchase, created_at, "
    "updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7)";
constexpr std::string_view update_status_sql =
    "UPDATE orders SET status = $2, delivered_at = $3, updated_at = $4 WHERE id = $1";
constexpr std::string_view insert_history_sql =
    "INSERT INTO order_status_history (id, order_id, from_status, to_status, actor_id, actor_role, created_at, seq) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
// Held until commit: the next transaction reads MAX(seq) only after this one committed, so
// sequence numbers become visible in order (SQLite's single writer gives the same).
constexpr std::string_view event_sequence_lock_sql = "SELECT pg_advisory_xact_lock(7212381001)";
constexpr std::string_view next_sequence_sql = "SELECT COALESCE(MAX(seq), 0) + 1 FROM order_status_history";

domain::OrderStatus status_of(const std::string& text) {
  auto status = domain::parse_order_status(text);
  if (!status) throw DbError(Failure::other, "unknown order status in the database: " + text);
  return *status;
}

domain::Order to_order(const Row& row) {
  domain::Order order;
  order.id = row.text(0);
  order.user_id = row.text(1);
  order.status = status_of(row.text(2));
  order.payment_status = row.optional_text(3);
  order.total_price = row.int64(4);
  order.currency = row.text(5);
  order.delivered_at = row.optional_text(6);
  order.created_at = row.text(7);
  order.updated_at = row.text(8);
  return order;
}

domain::OrderItem to_item(const Row& row) {
  return {row.text(0), row.text(1), row.text(2), row.text(3), row.int64(4), row.int64(5), row.text(6), row.text(7)};
}

}  // namespace

void SqlOrderRepository::insert(const domain::Order& o) {
  connection_.execute(insert_order_sql, {o.id, o.user_id, std::string(to_string(o.status)), o.total_price, o.currency,
                                         o.created_at});
  for (const auto& i : o.items)
    connection_.execute(insert_item_sql, {i.id, i.order_id, i.product_id, i.vendor_id, i.quantity, i.price_at_purchase,
                                          i.created_at});
}

std::optional<domain::Order> SqlOrderRepository::find(std::string_view id) { return find_one(id, false); }

std::optional<domain::Order> SqlOrderRepository::find_for_update(std::string_view id) { return find_one(id, true); }

std::optional<domain::Order> SqlOrderRepository::find_one(std::string_view id, bool lock) {
  std::string sql = "SELECT " + std::string(order_columns) + " FROM orders o WHERE o.id = $1";
  // SQLite's write transaction already excludes every other writer.
  if (lock && connection_.dialect() == Dialect::postgres) sql += " FOR UPDATE OF o";
  auto result = connection_.execute(sql, {std::string(id)});
  if (result.rows.empty()) return std::nullopt;
  std::vector<domain::Order> orders{to_order(result.rows.front())};
  load_items(orders);
  return std::move(orders.front());
}

void SqlOrderRepository::update_status(const domain::Order& o) {
  connection_.execute(update_status_sql,
                      {o.id, std::string(to_string(o.status)), optional_param(o.delivered_at), o.updated_at});
}

void SqlOrderRepository::add_history(const domain::StatusHistoryEntry& e) {
  Param from = e.from ? Param{std::string(to_string(*e.from))} : Param{Null{}};
  Param seq = e.seq ? Param{*e.seq} : Param{Null{}};
  connection_.execute(insert_history_sql, {e.id, e.order_id, from, std::string(to_string(e.to)),
                                           optional_param(e.actor_id), e.actor_role, e.created_at, seq});
}

std::int64_t SqlOrderRepository::latest_event_sequence() {
  return connection_.execute("SELECT COALESCE(MAX(seq), 0) FROM order_status_history").rows.at(0).int64(0);
}

std::int64_t SqlOrderRepository::next_event_sequence() {
  if (connection_.dialect() == Dialect::postgres) connection_.execute(event_sequence_lock_sql);
  return connection_.execute(next_sequence_sql).rows.at(0).int64(0);
}

domain::OrderPage SqlOrderRepository::list(const domain::OrderFilter& filter, std::size_t limit,
                                           const std::optional<domain::OrderCursor>& after) {
  bool postgres = connection_.dialect() == Dialect::postgres;
  std::string sql = "SELECT " + std::string(order_columns) + " FROM orders o WHERE 1 = 1";
  std::vector<Param> params;
  auto bind = [&](Param value) {
    params.push_back(std::move(value));
    return "$" + std::to_string(params.size());
  };
  if (filter.user_id) sql += " AND o.user_id = " + bind(*filter.user_id);
  if (filter.status) sql += " AND o.status = " + bind(std::string(to_string(*filter.status)));
  if (filter.vendor_id)
    sql += " AND o.id IN (SELECT i.order_id FROM order_items i WHERE i.vendor_id = " + bind(*filter.vendor_id) + ")";
  if (after) {
    auto created = bind(after->created_at);
    auto id = bind(after->id);
    if (postgres) {
      created = "CAST(" + created + " AS timestamptz)";
      id = "CAST(" + id + " AS uuid)";
    }
    sql += " AND (o.created_at, o.id) < (" + created + ", " + id + ")";
  }
  sql += " ORDER BY o.created_at DESC, o.id DESC LIMIT " + bind(static_cast<std::int64_t>(limit + 1));
  auto result = connection_.execute(sql, params);
  domain::OrderPage page;
  for (const auto& row : result.rows) page.orders.push_back(to_order(row));
  page.has_more = page.orders.size() > limit;
  if (page.has_more) page.orders.pop_back();
  load_items(page.orders);
  return page;
}

std::vector<domain::OrderStatusChanged> SqlOrderRepository::history_after(const domain::OrderFilter& filter,
                                                                         std::int64_t after_seq,
                                                                         std::size_t limit) {
  std::vector<Param> params{after_seq};
  std::string sql =
      "SELECT h.seq, h.order_id, o.user_id, h.to_status, h.from_status, h.created_at FROM order_status_history h "
      "JOIN orders o ON o.id = h.order_id WHERE h.seq > $1";
  auto bind = [&](Param value) {
    params.push_back(std::move(value));
    return "$" + std::to_string(params.size());
  };
  if (filter.user_id) sql += " AND o.user_id = " + bind(*filter.user_id);
  if (filter.vendor_id)
    sql += " AND h.order_id IN (SELECT i.order_id FROM order_items i WHERE i.vendor_id = " + bind(*filter.vendor_id) + ")";
  sql += " ORDER BY h.seq LIMIT " + bind(static_cast<std::int64_t>(limit));
  std::vector<domain::OrderStatusChanged> events;
  for (const auto& row : connection_.execute(sql, params).rows)
    events.push_back({row.text(0), row.text(1), row.text(2), {}, status_of(row.text(3)), status_of(row.text(4)),
                      row.text(5)});
  return events;
}

void SqlOrderRepository::load_items(std::vector<domain::Order>& orders) {
  if (orders.empty()) return;
  std::string sql = "SELECT " + std::string(item_columns) + " FROM order_items WHERE order_id IN (";
  std::vector<Param> params;
  std::map<std::string, domain::Order*, std::less<>> by_id;
  for (auto& order : orders) {
    params.emplace_back(order.id);
    sql += (params.size() > 1 ? ", $" : "$") + std::to_string(params.size());
    by_id[order.id] = &order;
  }
  sql += ") ORDER BY order_id, id";
  for (const auto& row : connection_.execute(sql, params).rows) {
    auto item = to_item(row);
    by_id.at(item.order_id)->items.push_back(std::move(item));
  }
}

}  // namespace mercato::db
