#include "api/auth_routes.hpp"

#include <algorithm>
#include <memory>

#include "api/account_json.hpp"
#include "http/cookies.hpp"
#include "http/json.hpp"

namespace mercato::api {

namespace {

using http::AccessPolicy;
using http::BodyFields;
using http::Method;
using http::RateLimitClass;
using http::Request;
using http::Response;

constexpr std::size_t max_email = 254;
constexpr std::size_t max_token = 512;
// Longer passwords are read in full so the rule can refuse them by name.
constexpr std::size_t max_password_field = 1024;

// An empty body counts as {} for the routes whose every field is optional.
boost::json::value body_or_empty(const Request& request) {
  return request.body.empty() ? boost::json::value(boost::json::object{}) : http::parse_json_body(request);
}

Response accepted() { return http::json_response(202, {{"status", "accepted"}}); }

class AuthRoutes {
 public:
  AuthRoutes(domain::AuthService& auth, AuthRouteSettings settings) : auth_(auth), settings_(std::move(settings)) {}

  Response register_user(Request& r) {
    auto body = http::parse_json_body(r);
    BodyFields f(body, {"email", "password", "role"});
    auto email = f.string("email", true, 1, max_email);
    auto password = f.string("password", true, 0, max_password_field);
    auto role = f.string("role", false, 1, 32);
    f.finish();
    auto user = auth_.register_user(context_of(r), *email, *password, role.value_or("customer"));
    auto response = http::json_response(201, user_json(user));
    response.headers.set("Location", "/api/users/" + user.id);
    return response;
  }

  Response verify_email(Request& r) {
    auto token = single_field(r, "token", max_token);
    return http::json_response(200, user_json(auth_.verify_email(context_of(r), token)));
  }

  Response resend_verification(Request& r) {
    auth_.resend_verification(context_of(r), single_field(r, "email", max_email));
    return accepted();
  }

  Response login(Request& r) {
    auto body = http::parse_json_body(r);
    BodyFields f(body, {"email", "password"});
    auto email = f.string("email", true, 1, max_email);
    auto password = f.string("password", true, 0, max_password_field);
    f.finish();
    return signed_in_response(auth_.login(context_of(r), *email, *password));
  }

  Response refresh(Request& r) {
    auto token = refresh_token_of(r);
    if (token.empty())
      throw Error{ErrorKind::unauthorized, "invalid_refresh_token", "A refresh token is required."};
    return signed_in_response(auth_.refresh(context_of(r), token));
  }

  Response logout(Request& r) {
    auth_.logout(context_of(r), refresh_token_of(r));
    auto response = Response::no_content();
    response.headers.add("Set-Cookie", refresh_cookie("", std::chrono::seconds{0}));
    return response;
  }

  Response me(Request& r) { return http::json_response(200, user_json(auth_.me(*r.principal))); }

  Response forgot_password(Request& r) {
    auth_.forgot_password(context_of(r), single_field(r, "email", max_email));
    return accepted();
  }

  Response reset_password(Request& r) {
    auto body = http::parse_json_body(r);
    BodyFields f(body, {"token", "password"});
    auto token = f.string("token", true, 1, max_token);
    auto password = f.string("password", true, 0, max_password_field);
    f.finish();
    auth_.reset_password(context_of(r), *token, *password);
    return Response::no_content();
  }

  Response change_password(Request& r) {
    auto body = http::parse_json_body(r);
    BodyFields f(body, {"current_password", "new_password"});
    auto current = f.string("current_password", true, 0, max_password_field);
    auto next = f.string("new_password", true, 0, max_password_field);
    f.finish();
    auth_.change_password(context_of(r), *r.principal, *current, *next);
    return Response::no_content();
  }

 private:
  static std::string single_field(const Request& r, std::string_view name, std::size_t max_length) {
    auto body = http::parse_json_body(r);
    BodyFields f(body, {name});
    auto value = f.string(name, true, 1, max_length);
    f.finish();
    return *value;
  }

  // From the body when given, else from the cookie; a cookie is only believed from an
  // allowed Origin, so another site cannot make a browser use it (CSRF).
  std::string refresh_token_of(const Request& r) const {
    auto body = body_or_empty(r);
    BodyFields f(body, {"refresh_token"});
    auto token = f.string("refresh_token", false, 1, max_token);
    f.finish();
    if (token) return *token;
    auto cookie = http::cookie_value(r.headers.get("Cookie").value_or(""), refresh_cookie_name);
    if (!cookie || cookie->empty()) return {};
    auto origin = r.headers.get("Origin").value_or("");
    const auto& allowed = settings_.cookie_origins;
    if (std::find(allowed.begin(), allowed.end(), origin) == allowed.end())
      throw Error{ErrorKind::forbidden, "origin_not_allowed",
                  "The refresh cookie is only accepted from the shop's own origin."};
    return *cookie;
  }

  std::string refresh_cookie(std::string_view value, std::chrono::seconds max_age) const {
    return http::set_cookie_value(refresh_cookie_name, value, {"/api/auth", max_age, true, true, "Strict"});
  }

  Response signed_in_response(const domain::SignedIn& signed_in) const {
    auto response = http::json_response(200, signed_in_json(signed_in));
    response.headers.add("Set-Cookie", refresh_cookie(signed_in.refresh_token, settings_.refresh_cookie_lifetime));
    return response;
  }

  domain::AuthService& auth_;
  AuthRouteSettings settings_;
};

}  // namespace

void add_auth_routes(http::Router& router, domain::AuthService& auth, AuthRouteSettings settings) {
  auto routes = std::make_shared<AuthRoutes>(auth, std::move(settings));
  auto bind = [routes](Response (AuthRoutes::*handler)(Request&)) {
    return [routes, handler](Request& r) { return ((*routes).*handler)(r); };
  };
  auto anyone = AccessPolicy::anyone();
  auto sensitive = RateLimitClass::sensitive;
  router.add({Method::post, "/api/auth/register", anyone, bind(&AuthRoutes::register_user), sensitive});
  router.add({Method::post, "/api/auth/verify-email", anyone, bind(&AuthRoutes::verify_email)});
  router.add({Method::post, "/api/auth/resend-verification", anyone, bind(&AuthRoutes::resend_verification), sensitive});
  router.add({Method::post, "/api/auth/login", anyone, bind(&AuthRoutes::login), sensitive});
  router.add({Method::post, "/api/auth/refresh-token", anyone, bind(&AuthRoutes::refresh), sensitive});
  router.add({Method::post, "/api/auth/logout", AccessPolicy::signed_in(), bind(&AuthRoutes::logout)});
  router.add({Method::get, "/api/auth/me", AccessPolicy::signed_in(), bind(&AuthRoutes::me)});
  router.add({Method::post, "/api/auth/forgot-password", anyone, bind(&AuthRoutes::forgot_password), sensitive});
  router.add({Method::post, "/api/auth/reset-password", anyone, bind(&AuthRoutes::reset_password), sensitive});
  router.add({Method::post, "/api/auth/change-password", AccessPolicy::signed_in(), bind(&AuthRoutes::change_password)});
}

}  // namespace mercato::api
