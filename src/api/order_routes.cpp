#include "api/order_routes.hpp"

#include "api/account_json.hpp"
#include "api/idempotency_key_header.hpp"
#include "api/order_json.hpp"
#include "api/pagination.hpp"
#include "api/path_id.hpp"
#include "core/time_format.hpp"
#include "http/json.hpp"
#include "security/uuid.hpp"

namespace mercato::api {

namespace {

using http::Request;
using http::Response;

// Only product ids and quantities: prices, totals, owner and status are never the
// client's to say (unknown fields are refused).
std::vector<domain::OrderLine> order_lines(const Request& r) {
  auto body = http::parse_json_body(r);
  http::BodyFields f(body, {"items"});
  std::vector<domain::OrderLine> lines;
  if (auto* items = f.array("items", true, 1, domain::max_order_lines * 10)) {
    f.each_object("items", *items, {"product_id", "quantity"}, [&](http::BodyFields& item) {
      auto id_text = item.string("product_id", true, 1, 64);
      auto id = id_text ? security::canonical_uuid(*id_text) : std::nullopt;
      if (id_text && !id) item.add_error("product_id", "Must be a UUID.");
      auto quantity = item.integer("quantity", true, 1, domain::max_line_quantity);
      if (id && quantity) lines.push_back({*id, *quantity});
    });
  }
  f.finish();
  return lines;
}

domain::OrderFilter order_filter(const Request& r) {
  domain::OrderFilter filter;
  std::vector<FieldError> errors;
  if (auto status = r.query_param("status")) {
    filter.status = domain::parse_order_status(*status);
    if (!filter.status) errors.push_back({"status", "Must be pending, paid, shipped, delivered or cancelled."});
  }
  if (auto user = r.query_param("user_id")) {
    filter.user_id = security::canonical_uuid(*user);
    if (!filter.user_id) errors.push_back({"user_id", "Must be a UUID."});
  }
  if (!errors.empty()) throw Error::validation(std::move(errors));
  return filter;
}

Response place_order(domain::OrderService& orders, Request& r) {
  auto key = idempotency_key_of(r);
  auto placed = orders.place(context_of(r), order_lines(r), key);
  auto response = http::json_response(201, order_json(placed.order));
  response.headers.set("Location", "/api/orders/" + placed.order.id);
  if (placed.replayed) response.headers.set("Idempotent-Replayed", "true");
  return response;
}

Response list_orders(domain::OrderService& orders, Request& r) {
  auto limit = page_limit(r);
  std::optional<domain::OrderCursor> after;
  if (auto cursor = decode_time_cursor(r)) after = domain::OrderCursor{cursor->created_at, cursor->id};
  auto page = orders.list(*r.principal, order_filter(r), limit, after);
  boost::json::array data;
  for (const auto& order : page.orders) data.push_back(order_json(order));
  std::optional<std::string> next;
  if (page.has_more) next = encode_cursor({page.orders.back().created_at, page.orders.back().id});
  return http::json_response(200, list_body(std::move(data), next));
}

Response get_order(domain::OrderService& orders, Request& r) {
  return http::json_response(200, order_json(orders.get(*r.principal, path_id(r, "order"))));
}

Response change_status(domain::OrderService& orders, Request& r) {
  auto id = path_id(r, "order");
  auto body = http::parse_json_body(r);
  http::BodyFields f(body, {"status"});
  auto text = f.string("status", true, 1, 32);
  auto status = text ? domain::parse_order_status(*text) : std::nullopt;
  if (text && !status) f.add_error("status", "Must be pending, paid, shipped, delivered or cancelled.");
  f.finish();
  return http::json_response(200, order_json(orders.change_status(context_of(r), id, *status)));
}

Response cancel_order(domain::OrderService& orders, Request& r) {
  return http::json_response(200, order_json(orders.cancel(context_of(r), path_id(r, "order"))));
}

}  // namespace

void add_order_routes(http::Router& router, domain::OrderService& orders) {
  auto signed_in = http::AccessPolicy::signed_in();
  auto customer = http::AccessPolicy::any_role({"customer"});
  auto admin = http::AccessPolicy::any_role({"admin"});
  auto& o = orders;
  router.add({http::Method::post, "/api/orders", customer, [&o](Request& r) { return place_order(o, r); }});
  router.add({http::Method::get, "/api/orders", signed_in, [&o](Request& r) { return list_orders(o, r); }});
  router.add({http::Method::get, "/api/orders/:id", signed_in, [&o](Request& r) { return get_order(o, r); }});
  router.add({http::Method::put, "/api/orders/:id/status", admin, [&o](Request& r) { return change_status(o, r); }});
  router.add({http::Method::delete_, "/api/orders/:id", signed_in, [&o](Request& r) { return cancel_order(o, r); }});
}

}  // namespace mercato::api
