#pragma once
// Shared helpers for the accounts API tests (issue 3): JSON bodies, sign-in shortcuts,
// forged JWTs, requests from other client addresses and raw table reads.

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "security/base64.hpp"
#include "security/digest.hpp"
#include "support/app_harness.hpp"
#include "support/test_database.hpp"

namespace mercato::testing::accounts {

inline constexpr std::string_view refresh_cookie = "__Secure-mercato_refresh";

// The default test configuration with the request limits out of the way: most tests make
// more sensitive calls than 20 a minute. The rate-limit tests set their own.
inline app::Config accounts_config() {
  auto config = AppHarness::default_config();
  config.rate_limit_per_minute = 1'000'000;
  config.auth_rate_limit_per_minute = 1'000'000;
  return config;
}

inline boost::json::object body_of(const http::Response& response) {
  boost::system::error_code ec;
  auto value = boost::json::parse(response.body, ec);
  if (ec || !value.is_object()) {
    ADD_FAILURE() << "not a JSON object body (status " << response.status << "): " << response.body;
    return {};
  }
  return value.as_object();
}

inline std::string code_of(const http::Response& response) {
  auto body = body_of(response);
  auto* code = body.if_contains("code");
  return code && code->is_string() ? std::string(code->as_string()) : std::string("<no code: ") + response.body + ">";
}

// The `field` of each entry of a validation problem's `errors`.
inline std::vector<std::string> error_fields(const http::Response& response) {
  std::vector<std::string> out;
  auto body = body_of(response);
  if (auto* errors = body.if_contains("errors"); errors && errors->is_array())
    for (const auto& e : errors->as_array()) out.emplace_back(e.at("field").as_string());
  return out;
}

inline std::string str(const boost::json::value& value) { return std::string(value.as_string()); }

inline std::string json(const boost::json::object& object) { return boost::json::serialize(object); }

inline http::Headers headers(std::initializer_list<std::pair<std::string, std::string>> entries) {
  http::Headers out;
  for (const auto& [name, value] : entries) out.add(name, value);
  return out;
}

inline http::Headers bearer(std::string_view token) { return headers({{"Authorization", "Bearer " + std::string(token)}}); }

inline http::Response post(AppHarness& app, const std::string& target, const boost::json::object& body,
                           http::Headers h = {}) {
  return app.call(http::Method::post, target, json(body), std::move(h));
}

inline http::Response me(AppHarness& app, std::string_view access_token) {
  return app.call(http::Method::get, "/api/auth/me", {}, bearer(access_token));
}

inline http::Response refresh(AppHarness& app, std::string_view refresh_token) {
  return post(app, "/api/auth/refresh-token", {{"refresh_token", refresh_token}});
}

// A request as AppHarness::call builds it, but from another client address.
inline http::Response call_from(AppHarness& app, const std::string& remote_address, http::Method method,
                                const std::string& target, std::string body = {}, http::Headers h = {}) {
  http::Request request;
  request.method = method;
  request.target = target;
  if (auto parsed = http::parse_target(target)) {
    request.path = parsed->path;
    request.query = parsed->query;
  }
  request.body = std::move(body);
  request.headers = std::move(h);
  if (!request.body.empty() && !request.headers.contains("Content-Type"))
    request.headers.set("Content-Type", "application/json");
  request.remote_address = remote_address;
  return app.application().handle(request);
}

inline http::Response login_response(AppHarness& app, std::string_view email, std::string_view password) {
  return post(app, "/api/auth/login", {{"email", email}, {"password", password}});
}

// Registers through the API and returns the new user's id ("" after a reported failure).
inline std::string register_user(AppHarness& app, std::string_view email, std::string_view password,
                                 std::string_view role = "customer") {
  auto r = post(app, "/api/auth/register", {{"email", email}, {"password", password}, {"role", role}});
  if (r.status != 201) {
    ADD_FAILURE() << "register " << email << ": " << r.status << " " << r.body;
    return {};
  }
  return str(body_of(r).at("id"));
}

struct Session {
  std::string access_token;
  std::string refresh_token;
  std::string user_id;
};

inline Session login(AppHarness& app, std::string_view email, std::string_view password) {
  auto r = login_response(app, email, password);
  if (r.status != 200) {
    ADD_FAILURE() << "login " << email << ": " << r.status << " " << r.body;
    return {};
  }
  auto body = body_of(r);
  return {str(body.at("access_token")), str(body.at("refresh_token")), str(body.at("user").at("id"))};
}

// A verified admin (as `mercato create-admin` makes one), signed in.
inline Session admin_session(AppHarness& app, std::string_view email = "root@admin.example",
                             std::string_view password = "admin-password-1") {
  app.application().auth().create_admin(email, password);
  return login(app, email, password);
}

// header.payload.signature, signed with HMAC-SHA256 under `key`.
inline std::string forge_jwt(std::string_view header_json, std::string_view payload_json, std::string_view key) {
  std::string token = security::base64url_encode(security::byte_view(header_json)) + "." +
                      security::base64url_encode(security::byte_view(payload_json));
  return token + "." + security::base64url_encode(security::hmac_sha256(security::byte_view(key), token));
}

// The decoded payload of a JWT (not verified).
inline boost::json::object jwt_payload(std::string_view token) {
  auto first = token.find('.');
  auto second = token.find('.', first + 1);
  auto bytes = security::base64url_decode(token.substr(first + 1, second - first - 1));
  if (!bytes) {
    ADD_FAILURE() << "not a JWT: " << token;
    return {};
  }
  return boost::json::parse(std::string(bytes->begin(), bytes->end())).as_object();
}

// Every value of every row of `table`, as text (nulls left out).
inline std::vector<std::vector<std::string>> table_values(db::Database& database, const std::string& table) {
  auto lease = database.acquire();
  auto result = lease->execute("SELECT * FROM " + table);
  std::vector<std::vector<std::string>> rows;
  for (const auto& row : result.rows) {
    std::vector<std::string> values;
    for (std::size_t i = 0; i < row.size(); ++i)
      if (!row.is_null(i)) values.push_back(row.text(i));
    rows.push_back(std::move(values));
  }
  return rows;
}

inline std::string lower(std::string text) {
  for (auto& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

class AccountsApiTest : public BackendTest {};

}  // namespace mercato::testing::accounts

#define MERCATO_ACCOUNTS_BACKENDS(Suite)                                                                        \
  INSTANTIATE_TEST_SUITE_P(Backends, Suite,                                                                     \
                           ::testing::Values(::mercato::testing::Backend::sqlite,                                \
                                             ::mercato::testing::Backend::postgres),                             \
                           ::mercato::testing::backend_param_name)
