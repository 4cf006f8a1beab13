#pragma once
// Shared helpers for the catalog API tests (issue 4): sessions for each role, categories and
// products made through the API, PUT/DELETE shortcuts, list walks and raw SQL seeding.

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "integration/accounts/accounts_test_support.hpp"

namespace mercato::testing::catalog {

using accounts::bearer;
using accounts::body_of;
using accounts::code_of;
using accounts::error_fields;
using accounts::json;
using accounts::Session;
using accounts::str;

inline http::Response put(AppHarness& app, const std::string& target, const boost::json::object& body,
                          http::Headers h = {}) {
  return app.call(http::Method::put, target, json(body), std::move(h));
}

inline http::Response del(AppHarness& app, const std::string& target, http::Headers h = {}) {
  return app.call(http::Method::delete_, target, {}, std::move(h));
}

inline http::Response get_with(AppHarness& app, const std::string& target, http::Headers h) {
  return app.call(http::Method::get, target, {}, std::move(h));
}

// A signed-in customer (email not verified: customers need none to be refused).
inline Session customer_session(AppHarness& app, std::string_view email = "buyer@example.com") {
  accounts::register_user(app, email, "password1", "customer");
  return accounts::login(app, email, "password1");
}

// A vendor that has not confirmed its email address, signed in.
inline Session unverified_vendor_session(AppHarness& app, std::string_view email) {
  accounts::register_user(app, email, "password1", "vendor");
  return accounts::login(app, email, "password1");
}

// A user whose email is verified through the link of its welcome email, signed in.
inline Session verified_session(AppHarness& app, std::string_view email, std::string_view role) {
  accounts::register_user(app, email, "password1", role);
  auto token = app.last_token_sent_to(std::string(email));
  auto verified = accounts::post(app, "/api/auth/verify-email", {{"token", token}});
  if (verified.status != 200) ADD_FAILURE() << "verify " << email << ": " << verified.status << " " << verified.body;
  return accounts::login(app, email, "password1");
}

inline Session vendor_session(AppHarness& app, std::string_view email = "shop@example.com") {
  return verified_session(app, email, "vendor");
}

inline Session admin_session(AppHarness& app) { return accounts::admin_session(app); }

// Creates a category through the API; its id ("" after a reported failure).
inline std::string create_category(AppHarness& app, const std::string& admin_token, std::string_view name,
                                   std::string_view description = "") {
  auto r = accounts::post(app, "/api/categories", {{"name", name}, {"description", description}}, bearer(admin_token));
  if (r.status != 201) {
    ADD_FAILURE() << "create category " << name << ": " << r.status << " " << r.body;
    return {};
  }
  return str(body_of(r).at("id"));
}

// A complete product body; callers add or replace fields.
inline boost::json::object product_body(std::string_view name, std::int64_t price, std::int64_t stock,
                                        const std::string& category_id, std::string_view description = "") {
  return {{"name", name},
          {"description", description},
          {"price", price},
          {"stock_quantity", stock},
          {"category_id", category_id}};
}

inline http::Response post_product(AppHarness& app, const std::string& token, const boost::json::object& body) {
  return accounts::post(app, "/api/products", body, bearer(token));
}

// Creates a product through the API; the answered Product ({} after a reported failure).
inline boost::json::object create_product(AppHarness& app, const std::string& token, const boost::json::object& body) {
  auto r = post_product(app, token, body);
  if (r.status != 201) {
    ADD_FAILURE() << "create product " << json(body) << ": " << r.status << " " << r.body;
    return {};
  }
  return body_of(r);
}

inline std::string create_product_id(AppHarness& app, const std::string& token, const boost::json::object& body) {
  auto product = create_product(app, token, body);
  return product.contains("id") ? str(product.at("id")) : std::string();
}

inline http::Response get_product(AppHarness& app, const std::string& id) { return app.get("/api/products/" + id); }

// The ids of a list answer's `data`, in order.
inline std::vector<std::string> ids_in(const boost::json::object& list) {
  std::vector<std::string> out;
  for (const auto& item : list.at("data").as_array()) out.push_back(str(item.at("id")));
  return out;
}

inline std::vector<std::string> list_ids(AppHarness& app, const std::string& target) {
  auto r = app.get(target);
  if (r.status != 200) {
    ADD_FAILURE() << target << ": " << r.status << " " << r.body;
    return {};
  }
  return ids_in(body_of(r));
}

struct Walk {
  std::vector<boost::json::object> items;  // every item of every page, in order
  std::vector<std::size_t> page_sizes;
  bool ended = false;  // the last page answered next_cursor null
};

// Follows next_cursor from `target` (which already holds a query) until it is null.
inline Walk walk(AppHarness& app, const std::string& target, std::size_t max_pages = 2000) {
  Walk out;
  std::string next = target;
  for (std::size_t page = 0; page < max_pages; ++page) {
    auto r = app.get(next);
    if (r.status != 200) {
      ADD_FAILURE() << next << ": " << r.status << " " << r.body;
      return out;
    }
    auto body = body_of(r);
    const auto& data = body.at("data").as_array();
    out.page_sizes.push_back(data.size());
    for (const auto& item : data) out.items.push_back(item.as_object());
    const auto& cursor = body.at("next_cursor");
    if (cursor.is_null()) {
      out.ended = true;
      return out;
    }
    next = target + (target.find('?') == std::string::npos ? "?" : "&") + "cursor=" + str(cursor);
  }
  ADD_FAILURE() << target << ": no end after " << max_pages << " pages";
  return out;
}

inline std::vector<std::string> ids_of(const std::vector<boost::json::object>& items) {
  std::vector<std::string> out;
  for (const auto& item : items) out.push_back(str(item.at("id")));
  return out;
}

// Random lower-case version-4 UUIDs from a seeded generator: ids in no particular order.
class UuidSource {
 public:
  explicit UuidSource(std::uint64_t seed = 20261125) : engine_(seed) {}
  std::string next() {
    std::uint64_t hi = engine_(), lo = engine_();
    hi = (hi & ~0xf000ull) | 0x4000ull;
    lo = (lo & ~(0xc000ull << 48)) | (0x8000ull << 48);
    char text[37];
    std::snprintf(text, sizeof text, "%08llx-%04llx-%04llx-%04llx-%012llx", static_cast<unsigned long long>(hi >> 32),
                  static_cast<unsigned long long>((hi >> 16) & 0xffff), static_cast<unsigned long long>(hi & 0xffff),
                  static_cast<unsigned long long>(lo >> 48), static_cast<unsigned long long>(lo & 0xffffffffffffull));
    return text;
  }

 private:
  std::mt19937_64 engine_;
};

// A product row as the seeding tests write it with SQL.
struct SeedProduct {
  std::string id;
  std::string name;
  std::string description;
  std::int64_t price = 0;
  std::int64_t stock = 0;
  std::string category_id;
  std::string vendor_id;
  std::string created_at;  // RFC 3339, microseconds, as the application writes them
};

inline void insert_products(db::Database& database, const std::vector<SeedProduct>& products) {
  auto lease = database.acquire();
  lease->begin();
  try {
    for (const auto& p : products)
      lease->execute(
          "INSERT INTO products (id, name, description, price, currency, stock_quantity, category_id, vendor_id, "
          "created_at, updated_at) VALUES ($1, $2, $3, $4, 'usd', $5, $6, $7, $8, $8)",
          {p.id, p.name, p.description, p.price, p.stock, p.category_id, p.vendor_id, p.created_at});
    lease->commit();
  } catch (...) {
    lease->rollback();
    throw;
  }
}

inline std::int64_t count_of(db::Database& database, const std::string& sql, std::initializer_list<db::Param> params = {}) {
  auto lease = database.acquire();
  return lease->execute(sql, params).rows.at(0).int64(0);
}

}  // namespace mercato::testing::catalog

#define MERCATO_CATALOG_BACKENDS(Suite) MERCATO_ACCOUNTS_BACKENDS(Suite)
