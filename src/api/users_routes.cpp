#include "api/users_routes.hpp"

#include "api/account_json.hpp"
#include "api/pagination.hpp"
#include "core/time_format.hpp"
#include "http/json.hpp"
#include "security/uuid.hpp"

namespace mercato::api {

namespace {

using http::Request;
using http::Response;

std::optional<domain::UserCursor> user_cursor(const Request& r) {
  auto parts = decode_cursor(r, 2);
  if (!parts) return std::nullopt;
  auto id = security::canonical_uuid((*parts)[1]);
  if (!parse_rfc3339((*parts)[0]) || !id)
    throw Error::invalid("invalid_cursor", "The cursor is not valid; start from the first page.");
  return domain::UserCursor{(*parts)[0], *id};
}

// A path id that is no UUID names no user: 404, not 400, like any unknown id.
std::string user_id_of(const Request& r) {
  auto id = security::canonical_uuid(r.path_param("id"));
  if (!id) throw Error::not_found("No such user.");
  return *id;
}

Response list_users(domain::UserAdminService& users, Request& r) {
  auto limit = page_limit(r);
  auto page = users.list(r.query_param("role"), limit, user_cursor(r));
  boost::json::array data;
  for (const auto& user : page.users) data.push_back(user_json(user));
  std::optional<std::string> next;
  if (page.has_more) next = encode_cursor({page.users.back().created_at, page.users.back().id});
  return http::json_response(200, list_body(std::move(data), next));
}

Response get_user(domain::UserAdminService& users, Request& r) {
  return http::json_response(200, user_json(users.get(user_id_of(r))));
}

Response update_user(domain::UserAdminService& users, Request& r) {
  auto id = user_id_of(r);
  auto body = http::parse_json_body(r);
  http::BodyFields f(body, {"role", "disabled"});
  domain::UserChanges changes{f.string("role", false, 1, 32), f.boolean("disabled", false)};
  f.finish();
  return http::json_response(200, user_json(users.update(context_of(r), id, changes)));
}

}  // namespace

void add_users_routes(http::Router& router, domain::UserAdminService& users) {
  auto admin = http::AccessPolicy::any_role({"admin"});
  router.add({http::Method::get, "/api/users", admin, [&users](Request& r) { return list_users(users, r); }});
  router.add({http::Method::get, "/api/users/:id", admin, [&users](Request& r) { return get_user(users, r); }});
  router.add({http::Method::patch, "/api/users/:id", admin, [&users](Request& r) { return update_user(users, r); }});
}

}  // namespace mercato::api
