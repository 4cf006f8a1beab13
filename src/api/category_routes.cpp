#include "api/catalog_json.hpp"
#include "api/catalog_routes.hpp"
#include "api/pagination.hpp"
#include "api/path_id.hpp"
#include "domain/catalog/catalog_rules.hpp"
#include "http/conditional.hpp"
#include "http/json.hpp"
#include "security/uuid.hpp"

namespace mercato::api {

namespace {

using http::Request;
using http::Response;

std::optional<domain::CategoryCursor> category_cursor(const Request& r) {
  auto parts = decode_cursor(r, 2);
  if (!parts) return std::nullopt;
  auto id = security::canonical_uuid((*parts)[1]);
  if (!id) throw Error::invalid("invalid_cursor", "The cursor is not valid; start from the first page.");
  return domain::CategoryCursor{(*parts)[0], *id};
}

// Types here, then the domain's rules, so that one answer names every bad field.
domain::CategoryFields category_fields(const Request& r, bool creating) {
  auto body = http::parse_json_body(r);
  http::BodyFields f(body, {"name", "description"});
  domain::CategoryFields fields{f.string("name", false, 0, 4 * 200), f.string("description", false, 0, 4 * 2000)};
  std::vector<FieldError> rule_errors;
  domain::check_category_fields(fields, creating, rule_errors);
  f.add_errors_of_other_fields(rule_errors);
  f.finish();
  return fields;
}

Response list_categories(domain::CategoryService& categories, Request& r) {
  auto limit = page_limit(r);
  auto page = categories.list(limit, category_cursor(r));
  boost::json::array data;
  for (const auto& category : page.categories) data.push_back(category_json(category));
  std::optional<std::string> next;
  if (page.has_more) next = encode_cursor({page.categories.back().name, page.categories.back().id});
  return http::cacheable(r, http::json_response(200, list_body(std::move(data), next)), http::public_catalog_cache);
}

Response get_category(domain::CategoryService& categories, Request& r) {
  return http::cacheable(r, http::json_response(200, category_json(categories.get(path_id(r, "category")))),
                         http::public_catalog_cache);
}

Response create_category(domain::CategoryService& categories, Request& r) {
  return http::json_response(201, category_json(categories.create(category_fields(r, true))));
}

Response update_category(domain::CategoryService& categories, Request& r) {
  auto id = path_id(r, "category");
  return http::json_response(200, category_json(categories.update(id, category_fields(r, false))));
}

Response delete_category(domain::CategoryService& categories, Request& r) {
  categories.remove(path_id(r, "category"));
  return Response::no_content();
}

}  // namespace

void add_category_routes(http::Router& router, domain::CategoryService& categories) {
  auto anyone = http::AccessPolicy::anyone();
  auto admin = http::AccessPolicy::any_role({"admin"});
  auto& c = categories;
  router.add({http::Method::get, "/api/categories", anyone, [&c](Request& r) { return list_categories(c, r); }});
  router.add({http::Method::post, "/api/categories", admin, [&c](Request& r) { return create_category(c, r); }});
  router.add({http::Method::get, "/api/categories/:id", anyone, [&c](Request& r) { return get_category(c, r); }});
  router.add({http::Method::put, "/api/categories/:id", admin, [&c](Request& r) { return update_category(c, r); }});
  router.add({http::Method::delete_, "/api/categories/:id", admin, [&c](Request& r) { return delete_category(c, r); }});
}

}  // namespace mercato::api
