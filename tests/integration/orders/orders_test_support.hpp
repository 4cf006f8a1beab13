#pragma once
// Shared helpers for the orders API tests (issue 5, part 1): order bodies, placement with or
// without an Idempotency-Key, stock reads through the API and through SQL, a small world of
// users and products, and threads released together.

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "integration/catalog/catalog_test_support.hpp"

namespace mercato::testing::orders {

using accounts::accounts_config;
using accounts::bearer;
using accounts::body_of;
using accounts::call_from;
using accounts::code_of;
using accounts::error_fields;
using accounts::json;
using accounts::Session;
using accounts::str;
using catalog::count_of;
using catalog::create_category;
using catalog::create_product_id;
using catalog::del;
using catalog::product_body;
using catalog::put;

// One line of an order body, as a client sends it.
struct Line {
  std::string product_id;
  std::int64_t quantity = 1;
};

inline boost::json::object items_body(const std::vector<Line>& lines) {
  boost::json::array items;
  for (const auto& l : lines) items.push_back(boost::json::object{{"product_id", l.product_id}, {"quantity", l.quantity}});
  return {{"items", std::move(items)}};
}

inline http::Headers order_headers(const std::string& token, const std::optional<std::string>& key = std::nullopt) {
  auto h = bearer(token);
  if (key) h.add("Idempotency-Key", *key);
  return h;
}

// POST /api/orders with any body (through AppHarness::call: the clock moves 1 ms).
inline http::Response post_order(AppHarness& app, const std::string& token, const boost::json::object& body,
                                 const std::optional<std::string>& key = std::nullopt) {
  return accounts::post(app, "/api/orders", body, order_headers(token, key));
}

inline http::Response place_order(AppHarness& app, const std::string& token, const std::vector<Line>& lines,
                                  const std::optional<std::string>& key = std::nullopt) {
  return post_order(app, token, items_body(lines), key);
}

// The same, from another thread: call_from leaves the harness clock alone.
inline http::Response place_order_concurrently(AppHarness& app, const std::string& token,
                                               const std::vector<Line>& lines,
                                               const std::optional<std::string>& key = std::nullopt) {
  return call_from(app, "127.0.0.1", http::Method::post, "/api/orders", json(items_body(lines)),
                   order_headers(token, key));
}

// Places an order that must succeed; its id ("" after a reported failure).
inline std::string placed_order_id(AppHarness& app, const std::string& token, const std::vector<Line>& lines) {
  auto r = place_order(app, token, lines);
  if (r.status != 201) {
    ADD_FAILURE() << "place order: " << r.status << " " << r.body;
    return {};
  }
  return str(body_of(r).at("id"));
}

inline http::Response get_order(AppHarness& app, const std::string& token, const std::string& id) {
  return app.call(http::Method::get, "/api/orders/" + id, {}, bearer(token));
}

inline http::Response list_orders(AppHarness& app, const std::string& token, const std::string& query = "") {
  return app.call(http::Method::get, "/api/orders" + query, {}, bearer(token));
}

inline http::Response set_status(AppHarness& app, const std::string& token, const std::string& id,
                                 const std::string& status) {
  return put(app, "/api/orders/" + id + "/status", {{"status", status}}, bearer(token));
}

inline http::Response cancel_order(AppHarness& app, const std::string& token, const std::string& id) {
  return del(app, "/api/orders/" + id, bearer(token));
}

// The stock a product shows through GET /api/products/:id (-1 after a reported failure).
inline std::int64_t stock_of(AppHarness& app, const std::string& product_id) {
  auto r = app.get("/api/products/" + product_id);
  if (r.status != 200) {
    ADD_FAILURE() << "GET product " << product_id << ": " << r.status << " " << r.body;
    return -1;
  }
  return body_of(r).at("stock_quantity").as_int64();
}

// The stock column itself, also for a deleted product.
inline std::int64_t stock_in_table(db::Database& database, const std::string& product_id) {
  auto lease = database.acquire();
  auto result = lease->execute("SELECT stock_quantity FROM products WHERE id = $1", {product_id});
  if (result.rows.size() != 1) {
    ADD_FAILURE() << "no product row " << product_id;
    return -1;
  }
  return result.rows[0].int64(0);
}

inline std::int64_t order_rows(db::Database& database) { return count_of(database, "SELECT COUNT(*) FROM orders"); }

inline std::int64_t order_rows_of(db::Database& database, const std::string& user_id) {
  return count_of(database, "SELECT COUNT(*) FROM orders WHERE user_id = $1", {user_id});
}

inline std::int64_t item_rows(db::Database& database) { return count_of(database, "SELECT COUNT(*) FROM order_items"); }

// Sum of ordered quantities of a product over orders that are not cancelled.
inline std::int64_t ordered_quantity(db::Database& database, const std::string& product_id) {
  auto lease = database.acquire();
  auto result = lease->execute(
      "SELECT COALESCE(SUM(i.quantity), 0) FROM order_items i JOIN orders o ON o.id = i.order_id "
      "WHERE i.product_id = $1 AND o.status <> 'cancelled'",
      {product_id});
  return result.rows.at(0).int64(0);
}

// The `field`s of a problem's errors, as a set (their order is not part of the contract).
inline std::set<std::string> field_set(const http::Response& r) {
  auto fields = error_fields(r);
  return {fields.begin(), fields.end()};
}

inline std::string header_of(const http::Response& r, std::string_view name) {
  auto value = r.headers.get(name);
  return value ? std::string(*value) : std::string("<none>");
}

inline bool has_header(const http::Response& r, std::string_view name) { return r.headers.get(name).has_value(); }

// RFC 3339 UTC with microseconds, as the contract writes timestamps.
inline bool is_timestamp(const boost::json::value& v) {
  static const std::regex pattern(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z)");
  return v.is_string() && std::regex_match(std::string(v.as_string()), pattern);
}

// What the harness clock says now, in that format (written here, not by the code under test).
inline std::string clock_text(AppHarness& app) {
  using namespace std::chrono;
  auto t = floor<microseconds>(app.clock().now());
  auto day = floor<days>(t);
  year_month_day ymd{day};
  hh_mm_ss<microseconds> hms{t - day};
  char text[40];
  std::snprintf(text, sizeof text, "%04d-%02u-%02uT%02lld:%02lld:%02lld.%06lldZ", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<long long>(hms.hours().count()), static_cast<long long>(hms.minutes().count()),
                static_cast<long long>(hms.seconds().count()), static_cast<long long>(hms.subseconds().count()));
  return text;
}

inline std::set<std::string> keys_of(const boost::json::object& o) {
  std::set<std::string> out;
  for (const auto& kv : o) out.emplace(kv.key());
  return out;
}

inline const std::set<std::string>& order_keys() {
  static const std::set<std::string> keys{"id",    "user_id", "status",       "payment_status", "total_price",
                                          "currency", "items", "delivered_at", "created_at",     "updated_at"};
  return keys;
}

inline const std::set<std::string>& item_keys() {
  static const std::set<std::string> keys{"id",    "order_id",   "product_id", "quantity", "price_at_purchase",
                                          "created_at", "updated_at"};
  return keys;
}

// product id -> (quantity, price_at_purchase) of an order's items.
inline std::map<std::string, std::pair<std::int64_t, std::int64_t>> items_by_product(const boost::json::object& order) {
  std::map<std::string, std::pair<std::int64_t, std::int64_t>> out;
  for (const auto& item : order.at("items").as_array()) {
    const auto& i = item.as_object();
    auto [it, fresh] = out.try_emplace(str(i.at("product_id")), i.at("quantity").as_int64(),
                                       i.at("price_at_purchase").as_int64());
    if (!fresh) ADD_FAILURE() << "product twice in one order: " << it->first;
  }
  return out;
}

// An order as text with its items sorted by id: to compare two answers for the same order
// whatever order their items came in (the item order has a test of its own).
inline std::string normalized(boost::json::object order) {
  if (auto* items = order.if_contains("items"); items && items->is_array()) {
    auto& list = items->as_array();
    std::vector<boost::json::value> sorted(list.begin(), list.end());
    std::sort(sorted.begin(), sorted.end(), [](const boost::json::value& x, const boost::json::value& y) {
      return x.at("id").as_string() < y.at("id").as_string();
    });
    list = boost::json::array(sorted.begin(), sorted.end());
  }
  return json(order);
}

// Runs `request(i)` on `n` threads released together; the responses in thread order.
template <typename Request>
std::vector<http::Response> at_once(int n, Request request) {
  std::vector<http::Response> responses(static_cast<std::size_t>(n));
  std::atomic<int> ready{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < n; ++i)
    threads.emplace_back([&, i] {
      ready.fetch_add(1);
      while (ready.load() < n) std::this_thread::yield();
      responses[static_cast<std::size_t>(i)] = request(i);
    });
  for (auto& t : threads) t.join();
  return responses;
}

// Prices and stocks the tests choose; expectations are computed from these.
inline constexpr std::int64_t lamp_price = 1250;
inline constexpr std::int64_t lamp_stock = 100;
inline constexpr std::int64_t mug_price = 399;
inline constexpr std::int64_t mug_stock = 50;
inline constexpr std::int64_t chair_price = 8900;
inline constexpr std::int64_t chair_stock = 30;

// An admin, two verified customers, an unverified one, two vendors, one category and
// three products: lamp and mug sold by vendor 1, chair by vendor 2 (all in usd).
struct World {
  Session admin;
  Session alice;  // verified customer
  Session bob;    // verified customer
  Session vendor1;
  Session vendor2;
  std::string category;
  std::string lamp;
  std::string mug;
  std::string chair;
};

inline World make_world(AppHarness& app) {
  World w;
  w.admin = catalog::admin_session(app);
  w.alice = catalog::verified_session(app, "alice@example.com", "customer");
  w.bob = catalog::verified_session(app, "bob@example.com", "customer");
  w.vendor1 = catalog::vendor_session(app, "shop1@example.com");
  w.vendor2 = catalog::vendor_session(app, "shop2@example.com");
  w.category = create_category(app, w.admin.access_token, "Home");
  w.lamp = create_product_id(app, w.vendor1.access_token, product_body("Desk lamp", lamp_price, lamp_stock, w.category));
  w.mug = create_product_id(app, w.vendor1.access_token, product_body("Tea mug", mug_price, mug_stock, w.category));
  w.chair =
      create_product_id(app, w.vendor2.access_token, product_body("Oak chair", chair_price, chair_stock, w.category));
  return w;
}

// Orders tests on both backends. The pool waits longer than the default for a connection:
// the concurrency tests queue dozens of requests on it (and CI runs under ASan).
class OrdersTest : public BackendTest {
 protected:
  TestDatabaseOptions database_options() const override {
    TestDatabaseOptions options;
    options.pool.max_connections = 8;
    options.pool.acquire_timeout = std::chrono::seconds(30);
    return options;
  }
};

}  // namespace mercato::testing::orders

#define MERCATO_ORDERS_BACKENDS(Suite) MERCATO_ACCOUNTS_BACKENDS(Suite)
