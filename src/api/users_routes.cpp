#include "api/users_routes.hpp"

#include "api/account_json.hpp"
#include "api/pagination.hpp"
#include "api/path_id.hpp"
#include "http/json.hpp"

namespace mercato::api {

namespace {

using http::Request;
using http::Response;

Response list_users(domain::UserAdminService& users, Request& r) {
  auto limit = page_limit(r);
  std::optional<domain::UserCursor> after;
  if (auto cursor = decode_time_cursor(r)) after = domain::UserCursor{cursor->created_at, cursor->id};
  auto page = users.list(r.query_param("role"), limit, after);
  boost::json::array data;
  for (const auto& user : page.users) data.push_back(user_json(user));
  std::optional<std::string> next;
  if (page.has_more) next = encode_cursor({page.users.back().created_at, page.users.back().id});
  return http::json_response(200, list_body(std::move(data), next));
}

Response get_user(domain::UserAdminService& users, Request& r) {
  return http::json_response(200, user_json(users.get(path_id(r, "user"))));
}

Response update_user(domain::UserAdminService& users, Request& r) {
  auto id = path_id(r, "user");
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
