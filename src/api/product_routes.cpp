#include "api/catalog_json.hpp"
#include "api/catalog_routes.hpp"
#include "api/pagination.hpp"
#include "api/path_id.hpp"
#include "api/product_list_params.hpp"
#include "domain/catalog/catalog_rules.hpp"
#include "http/conditional.hpp"
#include "http/json.hpp"
#include "security/uuid.hpp"

namespace mercato::api {

namespace {

using http::Request;
using http::Response;

std::optional<std::string> uuid_field(http::BodyFields& f, std::string_view name) {
  auto text = f.string(name, false, 0, 64);
  if (!text) return std::nullopt;
  auto id = security::canonical_uuid(*text);
  if (!id) f.add_error(std::string(name), "Must be a UUID.");
  return id;
}

const Principal& actor_of(const Request& r) { return *r.principal; }  // the route policy ensured one

// Types and ranges here, then the domain's rules (lengths in characters, currency,
// required fields, who may set vendor_id), so that one answer names every bad field. The
// service checks the rules again: it trusts no caller.
domain::ProductFields product_fields(const Request& r, bool creating) {
  auto body = http::parse_json_body(r);
  http::BodyFields f(body, {"name", "description", "price", "currency", "stock_quantity", "category_id", "vendor_id"});
  domain::ProductFields fields;
  fields.name = f.string("name", false, 0, 4 * 200);
  fields.description = f.string("description", false, 0, 4 * 5000);
  fields.price = f.integer("price", false, 0, domain::max_price);
  fields.currency = f.string("currency", false, 0, 16);
  fields.stock_quantity = f.integer("stock_quantity", false, 0, domain::max_stock_quantity);
  fields.category_id = uuid_field(f, "category_id");
  fields.vendor_id = uuid_field(f, "vendor_id");
  std::vector<FieldError> rule_errors;
  domain::check_product_fields(actor_of(r), fields, creating, rule_errors);
  f.add_errors_of_other_fields(rule_errors);
  f.finish();
  return fields;
}

Response list_products(domain::ProductService& products, Request& r) {
  auto query = product_query(r);
  auto page = products.list(query);
  boost::json::array data;
  for (const auto& product : page.products) data.push_back(product_json(product));
  std::optional<std::string> next;
  if (page.next) next = product_cursor(query, *page.next);
  return http::cacheable(r, http::json_response(200, list_body(std::move(data), next)), http::public_catalog_cache);
}

Response get_product(domain::ProductService& products, Request& r) {
  return http::cacheable(r, http::json_response(200, product_json(products.get(path_id(r, "product")))),
                         http::public_catalog_cache);
}

Response create_product(domain::ProductService& products, Request& r) {
  return http::json_response(201, product_json(products.create(actor_of(r), product_fields(r, true))));
}

Response update_product(domain::ProductService& products, Request& r) {
  auto id = path_id(r, "product");
  return http::json_response(200, product_json(products.update(actor_of(r), id, product_fields(r, false))));
}

Response delete_product(domain::ProductService& products, Request& r) {
  products.remove(actor_of(r), path_id(r, "product"));
  return Response::no_content();
}

}  // namespace

void add_product_routes(http::Router& router, domain::ProductService& products) {
  auto anyone = http::AccessPolicy::anyone();
  auto sellers = http::AccessPolicy::any_role({"vendor", "admin"});
  auto& p = products;
  router.add({http::Method::get, "/api/products", anyone, [&p](Request& r) { return list_products(p, r); }});
  router.add({http::Method::post, "/api/products", sellers, [&p](Request& r) { return create_product(p, r); }});
  router.add({http::Method::get, "/api/products/:id", anyone, [&p](Request& r) { return get_product(p, r); }});
  router.add({http::Method::put, "/api/products/:id", sellers, [&p](Request& r) { return update_product(p, r); }});
  router.add({http::Method::delete_, "/api/products/:id", sellers, [&p](Request& r) { return delete_product(p, r); }});
}

}  // namespace mercato::api
