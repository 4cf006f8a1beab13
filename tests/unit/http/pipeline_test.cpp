#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include <sstream>

#include "http/json.hpp"
#include "http/pipeline.hpp"
#include "support/fixed_clock.hpp"

using namespace mercato;
using namespace mercato::http;

namespace {

class PipelineTest : public ::testing::Test {
 protected:
  PipelineTest() : log_(log_out_, observability::LogLevel::info, clock_) {
    router_.add({Method::get, "/api/things/:id", AccessPolicy::anyone(), [](Request& r) {
                   return json_response(200, {{"id", r.path_param("id")}});
                 }});
    router_.add({Method::post, "/api/things", AccessPolicy::anyone(), [](Request& r) {
                   auto body = parse_json_body(r);
                   BodyFields fields(body, {"name", "count"});
                   auto name = fields.string("name", true, 1, 10);
                   auto count = fields.integer("count", false, 0, 100);
                   fields.finish();
                   return json_response(201, {{"name", *name}, {"count", count.value_or(0)}});
                 }});
    router_.add({Method::get, "/api/conflict", AccessPolicy::anyone(),
                 [](Request&) -> Response { throw Error::conflict("email_taken", "That email is taken."); }});
    router_.add({Method::get, "/api/crash", AccessPolicy::anyone(),
                 [](Request&) -> Response { throw std::runtime_error("secret internal detail"); }});
    router_.add({Method::get, "/api/private", AccessPolicy::signed_in(), [](Request& r) {
                   return json_response(200, {{"user", r.principal->user_id}});
                 }});
    router_.add({Method::get, "/api/admin", AccessPolicy::any_role({"admin"}),
                 [](Request&) { return json_response(200, {{"ok", true}}); }});
  }

  Pipeline make_pipeline(Authenticator auth = {}) {
    return Pipeline(router_, CorsPolicy{{"https://shop.example"}}, std::move(auth), log_, clock_, random_);
  }

  Response call(Method method, std::string target, std::string body = {}, Headers headers = {},
                Authenticator auth = {}) {
    Request request;
    request.method = method;
    request.target = target;
    auto parsed = parse_target(target);
    request.path = parsed->path;
    request.query = parsed->query;
    request.body = std::move(body);
    request.headers = std::move(headers);
    if (!request.body.empty() && !request.headers.contains("Content-Type"))
      request.headers.set("Content-Type", "application/json");
    auto pipeline = make_pipeline(std::move(auth));
    return pipeline.handle(request);
  }

  static boost::json::object json(const Response& r) { return boost::json::parse(r.body).as_object(); }

  mercato::testing::FixedClock clock_;
  security::SystemRandom random_;
  std::ostringstream log_out_;
  observability::Logger log_;
  Router router_;
};

Headers with(std::string name, std::string value) {
  Headers h;
  h.set(std::move(name), std::move(value));
  return h;
}

}  // namespace

TEST_F(PipelineTest, RoutesWithDecodedParameters) {
  auto r = call(Method::get, "/api/things/a%20b");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(json(r).at("id"), "a b");
}

TEST_F(PipelineTest, UnknownPathIsProblemJson404) {
  auto r = call(Method::get, "/api/nothing");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.headers.get("Content-Type"), "application/problem+json");
  auto body = json(r);
  EXPECT_EQ(body.at("status"), 404);
  EXPECT_EQ(body.at("code"), "not_found");
  EXPECT_EQ(body.at("title"), "Not Found");
  EXPECT_TRUE(body.contains("type"));
  EXPECT_TRUE(body.contains("detail"));
}

TEST_F(PipelineTest, WrongMethodIs405WithAllow) {
  auto r = call(Method::delete_, "/api/things/1");
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.headers.get("Allow"), "GET");
  EXPECT_EQ(json(r).at("code"), "method_not_allowed");
}

TEST_F(PipelineTest, HeadIsServedByTheGetRoute) { EXPECT_EQ(call(Method::head, "/api/things/1").status, 200); }

TEST_F(PipelineTest, PlainOptionsListsAllowedMethods) {
  auto r = call(Method::options, "/api/things/1");
  EXPECT_EQ(r.status, 204);
  EXPECT_EQ(r.headers.get("Allow"), "GET");
}

TEST_F(PipelineTest, PreflightFromAllowedOrigin) {
  auto h = with("Origin", "https://shop.example");
  h.set("Access-Control-Request-Method", "POST");
  auto r = call(Method::options, "/api/things", {}, h);
  EXPECT_EQ(r.status, 204);
  EXPECT_EQ(r.headers.get("Access-Control-Allow-Origin"), "https://shop.example");
  EXPECT_EQ(r.headers.get("Access-Control-Allow-Methods"), "POST");
  EXPECT_EQ(r.headers.get("Access-Control-Allow-Credentials"), "true");
  EXPECT_NE(r.headers.get("Access-Control-Allow-Headers")->find("Authorization"), std::string_view::npos);
}

TEST_F(PipelineTest, PreflightFromOtherOriginIsRefused) {
  auto h = with("Origin", "https://evil.example");
  h.set("Access-Control-Request-Method", "POST");
  auto r = call(Method::options, "/api/things", {}, h);
  EXPECT_EQ(r.status, 403);
  EXPECT_FALSE(r.headers.contains("Access-Control-Allow-Origin"));
}

TEST_F(PipelineTest, CorsHeadersOnlyForAllowedOrigins) {
  auto allowed = call(Method::get, "/api/things/1", {}, with("Origin", "https://shop.example"));
  EXPECT_EQ(allowed.headers.get("Access-Control-Allow-Origin"), "https://shop.example");
  EXPECT_EQ(allowed.headers.get("Vary"), "Origin");
  auto other = call(Method::get, "/api/things/1", {}, with("Origin", "https://evil.example"));
  EXPECT_FALSE(other.headers.contains("Access-Control-Allow-Origin"));
}

TEST_F(PipelineTest, EveryAnswerVariesByOriginSoSharedCachesKeepThemApart) {
  auto without_origin = call(Method::get, "/api/things/1");
  EXPECT_EQ(without_origin.headers.get("Vary"), "Origin");
  auto other = call(Method::get, "/api/things/1", {}, with("Origin", "https://evil.example"));
  EXPECT_EQ(other.headers.get("Vary"), "Origin");
}

TEST_F(PipelineTest, NonJsonBodyIs415) {
  auto r = call(Method::post, "/api/things", "name=x", with("Content-Type", "text/plain"));
  EXPECT_EQ(r.status, 415);
  EXPECT_EQ(json(r).at("code"), "unsupported_media_type");
  EXPECT_EQ(call(Method::post, "/api/things", R"({"name":"x"})", with("Content-Type", "application/json; charset=utf-8"))
                .status,
            201);
}

TEST_F(PipelineTest, MalformedJsonIs400) {
  auto r = call(Method::post, "/api/things", R"({"name": )");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(json(r).at("code"), "malformed_json");
}

TEST_F(PipelineTest, DeeplyNestedJsonIs400) {
  std::string deep(100, '[');
  deep += std::string(100, ']');
  auto r = call(Method::post, "/api/things", deep);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(json(r).at("code"), "malformed_json");
}

TEST_F(PipelineTest, UnknownAndInvalidFieldsAreNamed) {
  auto r = call(Method::post, "/api/things", R"({"name":"this is far too long","count":-1,"role":"admin"})");
  EXPECT_EQ(r.status, 400);
  auto body = json(r);
  EXPECT_EQ(body.at("code"), "validation_failed");
  std::set<std::string> fields;
  for (const auto& e : body.at("errors").as_array()) fields.insert(std::string(e.at("field").as_string()));
  EXPECT_EQ(fields, (std::set<std::string>{"name", "count", "role"}));
}

TEST_F(PipelineTest, MissingRequiredFieldAndWrongTypes) {
  auto r = call(Method::post, "/api/things", R"({"count":"3"})");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(json(r).at("errors").as_array().size(), 2u);
  EXPECT_EQ(call(Method::post, "/api/things", R"([1,2])").status, 400);
}

TEST_F(PipelineTest, ClientErrorsMapToTheirStatus) {
  auto r = call(Method::get, "/api/conflict");
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(json(r).at("code"), "email_taken");
}

TEST_F(PipelineTest, UnexpectedExceptionIsBare500AndLogged) {
  auto r = call(Method::get, "/api/crash", {}, with("X-Request-Id", "req-123"));
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.body.find("secret internal detail"), std::string::npos);
  EXPECT_EQ(r.headers.get("X-Request-Id"), "req-123");
  auto log = log_out_.str();
  EXPECT_NE(log.find("secret internal detail"), std::string::npos);
  EXPECT_NE(log.find("req-123"), std::string::npos);
}

TEST_F(PipelineTest, RequestIdIsEchoedOrGenerated) {
  EXPECT_EQ(call(Method::get, "/api/things/1", {}, with("X-Request-Id", "abc-1")).headers.get("X-Request-Id"), "abc-1");
  auto generated = call(Method::get, "/api/things/1").headers.get("X-Request-Id");
  ASSERT_TRUE(generated);
  EXPECT_EQ(generated->size(), 32u);
  auto injected = call(Method::get, "/api/things/1", {}, with("X-Request-Id", "bad\"id\nx"));
  EXPECT_NE(injected.headers.get("X-Request-Id"), "bad\"id\nx");
}

TEST_F(PipelineTest, SecurityHeadersOnEveryResponse) {
  for (auto target : {"/api/things/1", "/api/nothing", "/api/crash"}) {
    auto r = call(Method::get, target);
    EXPECT_EQ(r.headers.get("X-Content-Type-Options"), "nosniff") << target;
    EXPECT_EQ(r.headers.get("Cache-Control"), "no-store") << target;
    EXPECT_TRUE(r.headers.contains("Content-Security-Policy")) << target;
    EXPECT_EQ(r.headers.get("Date"), "Wed, 25 Nov 2026 00:00:00 GMT") << target;
  }
}

TEST_F(PipelineTest, SignedInRouteNeedsAPrincipal) {
  auto r = call(Method::get, "/api/private");
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.headers.get("WWW-Authenticate"), "Bearer");
  auto ok = call(Method::get, "/api/private", {}, {}, [](const Request&) { return Principal{"u1", "customer", {}, false}; });
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(json(ok).at("user"), "u1");
}

TEST_F(PipelineTest, RoleRouteRefusesOtherRoles) {
  auto customer = [](const Request&) { return Principal{"u1", "customer", {}, false}; };
  auto admin = [](const Request&) { return Principal{"u2", "admin", {}, false}; };
  EXPECT_EQ(call(Method::get, "/api/admin", {}, {}, customer).status, 403);
  EXPECT_EQ(call(Method::get, "/api/admin", {}, {}, admin).status, 200);
}

TEST_F(PipelineTest, BadCredentialsAre401OnProtectedRoutesOnly) {
  auto reject = [](const Request&) -> std::optional<Principal> {
    throw Error{ErrorKind::unauthorized, "invalid_token", "The access token is not valid."};
  };
  EXPECT_EQ(call(Method::get, "/api/private", {}, {}, reject).status, 401);
  EXPECT_EQ(call(Method::get, "/api/things/1", {}, {}, reject).status, 200);
}

TEST_F(PipelineTest, LogsOneJsonLinePerRequestWithoutQueryValues) {
  call(Method::get, "/api/things/7?access_token=supersecret");
  auto line = log_out_.str();
  EXPECT_EQ(std::count(line.begin(), line.end(), '\n'), 1);
  auto entry = boost::json::parse(line).as_object();
  EXPECT_EQ(entry.at("event"), "http_request");
  EXPECT_EQ(entry.at("route"), "/api/things/:id");
  EXPECT_EQ(entry.at("status"), 200);
  EXPECT_TRUE(entry.contains("duration_ms"));
  EXPECT_TRUE(entry.contains("request_id"));
  EXPECT_EQ(line.find("supersecret"), std::string::npos);
}
