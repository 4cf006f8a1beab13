// The real `mercato lambda` binary against the test Runtime API, on both backends: API
// Gateway HTTP API events through the same pipeline as the socket server, one process
// (and one connection pool) for every invocation, operator commands, and the failures
// Lambda must see as failures.

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <thread>

#include "db/migrations.hpp"
#include "support/child_process.hpp"
#include "support/lambda_runtime_emulator.hpp"
#include "support/test_database.hpp"

using namespace std::chrono_literals;
using mercato::testing::Backend;
using mercato::testing::ChildProcess;
using mercato::testing::LambdaOutcome;
using mercato::testing::LambdaRuntimeEmulator;
using mercato::testing::ScratchFolder;
using mercato::testing::TestDatabase;
using mercato::testing::TestDatabaseOptions;
namespace json = boost::json;

namespace {

constexpr const char* trace = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";

struct EventSpec {
  std::string method = "GET";
  std::string target = "/api/health";  // path and query, as the client sent them
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  std::vector<std::string> cookies;
  bool base64 = false;
};

std::string http_event(const EventSpec& spec) {
  auto question = spec.target.find('?');
  json::object headers{{"user-agent", "lambda-test"}};
  for (const auto& [name, value] : spec.headers) headers[name] = value;
  json::object event{{"version", "2.0"},
                     {"routeKey", "$default"},
                     {"rawPath", spec.target.substr(0, question)},
                     {"rawQueryString", question == std::string::npos ? "" : spec.target.substr(question + 1)},
                     {"headers", std::move(headers)},
                     {"requestContext",
                      {{"apiId", "abc123"},
                       {"requestId", "JKJaXmPLvHcESHA="},
                       {"stage", "$default"},
                       {"http", {{"method", spec.method}, {"path", spec.target.substr(0, question)},
                                 {"protocol", "HTTP/1.1"}, {"sourceIp", "198.51.100.7"}}}}},
                     {"isBase64Encoded", spec.base64}};
  if (!spec.body.empty()) event["body"] = spec.body;
  if (!spec.cookies.empty()) {
    json::array cookies;
    for (const auto& c : spec.cookies) cookies.emplace_back(c);
    event["cookies"] = std::move(cookies);
  }
  return json::serialize(event);
}

EventSpec post_json(std::string target, std::string body, std::string token = {}) {
  EventSpec spec{"POST", std::move(target), std::move(body), {{"content-type", "application/json"}}, {}, false};
  if (!token.empty()) spec.headers.emplace_back("authorization", "Bearer " + token);
  return spec;
}

EventSpec get_with(std::string target, const std::string& token) {
  return EventSpec{"GET", std::move(target), {}, {{"authorization", "Bearer " + token}}, {}, false};
}

// The gateway response document of a successful invocation.
json::object answer_of(const LambdaOutcome& outcome) {
  EXPECT_EQ(outcome.kind, LambdaOutcome::Kind::response) << outcome.error_type << " " << outcome.body;
  if (outcome.kind != LambdaOutcome::Kind::response) return {};
  return json::parse(outcome.body).as_object();
}

json::object body_of(const json::object& answer) {
  return json::parse(std::string(answer.at("body").as_string())).as_object();
}

std::int64_t status_of(const json::object& answer) { return answer.at("statusCode").as_int64(); }

class LambdaBinary : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    if (GetParam() == Backend::postgres) mercato::testing::skip_or_fail_without_postgres();
  }

  std::map<std::string, std::string> env(const TestDatabase& db) const {
    return {{"AWS_LAMBDA_RUNTIME_API", runtime_->endpoint()},
            {"DATABASE_URL", db.url()},
            {"APP_ENV", "development"},
            {"BCRYPT_COST", "4"},
            {"MAIL_OUTBOX_DIR", outbox_.path().string()},
            {"DB_POOL_SIZE", "2"},
            {"CORS_ALLOWED_ORIGINS", "https://shop.example"}};
  }

  ChildProcess start(const TestDatabase& db, std::map<std::string, std::string> extra = {}) {
    auto variables = env(db);
    for (auto& [k, v] : extra) variables[k] = v;
    return ChildProcess({MERCATO_BINARY_PATH, "lambda"}, variables);
  }

  std::unique_ptr<LambdaRuntimeEmulator> runtime_ = std::make_unique<LambdaRuntimeEmulator>();
  ScratchFolder outbox_{"mercato-lambda-outbox-"};
};

TEST_P(LambdaBinary, AnswersThroughTheRouterAndLogsTheInvocation) {
  TestDatabase db(GetParam());
  auto function = start(db);
  auto id = runtime_->invoke(http_event({}), trace);
  auto outcome = runtime_->wait_for(id);
  ASSERT_TRUE(outcome) << function.err();
  auto answer = answer_of(*outcome);
  EXPECT_EQ(status_of(answer), 200);
  EXPECT_EQ(body_of(answer).at("status").as_string(), "ok");
  EXPECT_EQ(answer.at("headers").at("X-Request-Id").as_string(), "JKJaXmPLvHcESHA=");
  EXPECT_TRUE(answer.at("headers").as_object().contains("X-Content-Type-Options"));
  auto line = function.wait_for_line("\"event\":\"http_request\"", 5s);
  ASSERT_TRUE(line);
  auto logged = json::parse(*line).as_object();
  EXPECT_EQ(logged.at("aws_request_id").as_string(), id);
  EXPECT_EQ(logged.at("trace_id").as_string(), trace);
  EXPECT_EQ(logged.at("request_id").as_string(), "JKJaXmPLvHcESHA=");
  EXPECT_EQ(logged.at("client_ip").as_string(), "198.51.100.7");
  ASSERT_TRUE(logged.contains("_aws")) << "on Lambda the access line is a CloudWatch EMF document by default";
  EXPECT_EQ(logged.at("Route").as_string(), "/api/health");
}

TEST_P(LambdaBinary, CloudWatchMetricsCanBeTurnedOff) {
  TestDatabase db(GetParam());
  auto function = start(db, {{"CLOUDWATCH_METRICS", "off"}});
  ASSERT_EQ(status_of(answer_of(runtime_->call(http_event({})))), 200);
  auto line = function.wait_for_line("\"event\":\"http_request\"", 5s);
  ASSERT_TRUE(line);
  EXPECT_FALSE(json::parse(*line).as_object().contains("_aws"));
}

TEST_P(LambdaBinary, KeepsOneProcessAndItsStateAcrossInvocations) {
  TestDatabase db(GetParam());
  auto function = start(db);
  auto registered = answer_of(runtime_->call(http_event(
      post_json("/api/auth/register", R"({"email":"ada@example.com","password":"correct horse 42"})"))));
  ASSERT_EQ(status_of(registered), 201) << registered;
  auto login = answer_of(runtime_->call(
      http_event(post_json("/api/auth/login", R"({"email":"ada@example.com","password":"correct horse 42"})"))));
  ASSERT_EQ(status_of(login), 200) << login;
  ASSERT_TRUE(login.contains("cookies")) << "the refresh cookie travels in `cookies`";
  std::string cookie(login.at("cookies").as_array().at(0).as_string());
  EXPECT_EQ(cookie.rfind("__Secure-mercato_refresh=", 0), 0u) << cookie;
  EXPECT_FALSE(login.at("headers").as_object().contains("Set-Cookie"));
  auto token = std::string(body_of(login).at("access_token").as_string());

  auto me = answer_of(runtime_->call(http_event(get_with("/api/auth/me", token))));
  ASSERT_EQ(status_of(me), 200);
  EXPECT_EQ(body_of(me).at("email").as_string(), "ada@example.com");

  // The browser sends the cookie back: API Gateway hands it over in `cookies`.
  EventSpec refresh = post_json("/api/auth/refresh-token", "");
  refresh.cookies = {"theme=dark", cookie.substr(0, cookie.find(';'))};
  refresh.headers.emplace_back("origin", "https://shop.example");
  auto refreshed = answer_of(runtime_->call(http_event(refresh)));
  EXPECT_EQ(status_of(refreshed), 200) << refreshed;

  // Four invocations answered, and the same process is polling for the fifth.
  for (int i = 0; i < 500 && runtime_->next_requests() < 5; ++i) std::this_thread::sleep_for(10ms);
  EXPECT_EQ(runtime_->next_requests(), 5u) << "every invocation went to the same process";
  auto out = function.out();
  EXPECT_EQ(out.find("lambda_ready"), out.rfind("lambda_ready")) << "initialised once";
}

TEST_P(LambdaBinary, DecodesBase64RequestBodies) {
  TestDatabase db(GetParam());
  auto function = start(db);
  // {"email":"b64@example.com","password":"correct horse 42"}
  EventSpec spec = post_json("/api/auth/register",
                             "eyJlbWFpbCI6ImI2NEBleGFtcGxlLmNvbSIsInBhc3N3b3JkIjoiY29ycmVjdCBob3JzZSA0MiJ9");
  spec.base64 = true;
  auto answer = answer_of(runtime_->call(http_event(spec)));
  EXPECT_EQ(status_of(answer), 201) << answer;
  EXPECT_EQ(body_of(answer).at("email").as_string(), "b64@example.com");
}

TEST_P(LambdaBinary, QueuedMailIsDeliveredBeforeTheNextInvocation) {
  TestDatabase db(GetParam());
  auto function = start(db);
  auto registered = answer_of(runtime_->call(http_event(
      post_json("/api/auth/register", R"({"email":"mail@example.com","password":"correct horse 42"})"))));
  ASSERT_EQ(status_of(registered), 201);
  auto health = answer_of(runtime_->call(http_event({})));  // the next poll follows the delivery
  ASSERT_EQ(status_of(health), 200);
  std::size_t files = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(outbox_.path())) ++files;
  EXPECT_EQ(files, 1u) << "the verification email was written before the function polled again";
}

TEST_P(LambdaBinary, TheEventStreamAnswersAClearProblem) {
  TestDatabase db(GetParam());
  auto function = start(db);
  answer_of(runtime_->call(http_event(
      post_json("/api/auth/register", R"({"email":"sse@example.com","password":"correct horse 42"})"))));
  auto login = answer_of(runtime_->call(
      http_event(post_json("/api/auth/login", R"({"email":"sse@example.com","password":"correct horse 42"})"))));
  auto token = std::string(body_of(login).at("access_token").as_string());
  for (auto spec : {get_with("/api/orders/events", token), post_json("/api/orders/events/ticket", "{}", token)}) {
    auto answer = answer_of(runtime_->call(http_event(spec)));
    EXPECT_EQ(status_of(answer), 501);
    EXPECT_EQ(body_of(answer).at("code").as_string(), "streaming_unavailable");
    EXPECT_NE(std::string(body_of(answer).at("detail").as_string()).find("GET /api/orders/{id}"), std::string::npos);
  }
}

TEST_P(LambdaBinary, RefusesBodiesOverTheLimit) {
  TestDatabase db(GetParam());
  auto function = start(db, {{"BODY_LIMIT_BYTES", "1024"}});
  auto answer = answer_of(runtime_->call(
      http_event(post_json("/api/auth/register", R"({"email":")" + std::string(2000, 'a') + R"("})"))));
  EXPECT_EQ(status_of(answer), 413);
  EXPECT_EQ(body_of(answer).at("code").as_string(), "body_too_large");
}

TEST_P(LambdaBinary, FailsEventsItCannotServeAndGoesOn) {
  TestDatabase db(GetParam());
  auto function = start(db);
  EXPECT_EQ(runtime_->call("not json").error_type, "Runtime.MalformedEvent");
  EXPECT_EQ(runtime_->call(R"({"detail-type":"Scheduled Event"})").error_type, "Runtime.UnsupportedEvent");
  EXPECT_EQ(runtime_->call(R"({"mercato":"dance"})").error_type, "Runtime.UnknownCommand");
  EXPECT_EQ(runtime_->call(R"({"mercato":7})").error_type, "Runtime.UnknownCommand");
  auto broken = R"({"version":"2.0","rawPath":"/x","requestContext":{"http":{"method":"GET"}},)"
                R"("body":"%%%","isBase64Encoded":true})";
  EXPECT_EQ(runtime_->call(broken).error_type, "Runtime.MalformedEvent");
  EXPECT_EQ(status_of(answer_of(runtime_->call(http_event({})))), 200) << "still serving";
}

TEST_P(LambdaBinary, RunsOperatorCommands) {
  TestDatabase db(GetParam());
  auto function = start(db);
  auto settled = runtime_->call(R"({"mercato":"settle-refunds"})");
  ASSERT_EQ(settled.kind, LambdaOutcome::Kind::response) << settled.body;
  EXPECT_EQ(json::parse(settled.body).at("settled").as_int64(), 0);
  auto delivered = runtime_->call(R"({"mercato":"deliver-mail"})");
  ASSERT_EQ(delivered.kind, LambdaOutcome::Kind::response) << delivered.body;
  EXPECT_EQ(json::parse(delivered.body).at("delivered").as_int64(), 0);
}

TEST_P(LambdaBinary, MigratesAnEmptyDatabaseWhenAskedAndServesAfter) {
  TestDatabase db(GetParam(), TestDatabaseOptions{false, {}});
  auto function = start(db);
  auto before = answer_of(runtime_->call(http_event({"GET", "/api/products"})));
  EXPECT_EQ(status_of(before), 503);
  EXPECT_EQ(body_of(before).at("code").as_string(), "schema_outdated");
  EXPECT_EQ(before.at("headers").at("Retry-After").as_string(), "30");

  auto migrated = runtime_->call(R"({"mercato":"migrate"})");
  ASSERT_EQ(migrated.kind, LambdaOutcome::Kind::response) << migrated.body;
  auto count = static_cast<std::int64_t>(mercato::db::embedded_migrations(mercato::testing::dialect_of(GetParam())).size());
  EXPECT_EQ(json::parse(migrated.body).at("applied").as_int64(), count);
  EXPECT_EQ(json::parse(migrated.body).at("version").as_int64(), count);

  EXPECT_EQ(status_of(answer_of(runtime_->call(http_event({"GET", "/api/products"})))), 200);
  auto again = runtime_->call(R"({"mercato":"migrate"})");
  EXPECT_EQ(json::parse(again.body).at("applied").as_int64(), 0);
}

TEST_P(LambdaBinary, AResponseLambdaRefusesBecomesAnError) {
  runtime_ = std::make_unique<LambdaRuntimeEmulator>(64);
  TestDatabase db(GetParam());
  auto function = start(db);
  auto outcome = runtime_->call(http_event({}));
  EXPECT_EQ(outcome.kind, LambdaOutcome::Kind::error);
  EXPECT_EQ(outcome.error_type, "Runtime.ResponseTooLarge");
}

INSTANTIATE_TEST_SUITE_P(Backends, LambdaBinary, ::testing::Values(Backend::sqlite, Backend::postgres),
                         mercato::testing::backend_param_name);

TEST(LambdaStartup, AConfigurationErrorIsReportedAsAnInitError) {
  LambdaRuntimeEmulator runtime;
  ChildProcess function({MERCATO_BINARY_PATH, "lambda"},
                        {{"AWS_LAMBDA_RUNTIME_API", runtime.endpoint()}, {"APP_ENV", "production"},
                         {"JWT_SECRET", ""}});
  auto error = runtime.wait_for_init_error();
  ASSERT_TRUE(error) << function.err();
  EXPECT_EQ(error->error_type, "Runtime.ConfigError");
  EXPECT_NE(error->body.find("JWT_SECRET"), std::string::npos) << error->body;
  EXPECT_EQ(function.wait(10s), 2);
}

TEST(LambdaStartup, AnUnreachableDatabaseIsReportedAsAnInitError) {
  LambdaRuntimeEmulator runtime;
  ChildProcess function({MERCATO_BINARY_PATH, "lambda"},
                        {{"AWS_LAMBDA_RUNTIME_API", runtime.endpoint()},
                         {"DATABASE_URL", "postgresql://mercato@127.0.0.1:1/mercato?connect_timeout=2"}});
  auto error = runtime.wait_for_init_error();
  ASSERT_TRUE(error) << function.err();
  EXPECT_EQ(error->error_type, "Runtime.InitError");
  EXPECT_EQ(function.wait(10s), 1);
}

TEST(LambdaStartup, OutsideLambdaItSaysWhatIsMissing) {
  auto run = mercato::testing::run_binary({MERCATO_BINARY_PATH, "lambda"}, {{"AWS_LAMBDA_RUNTIME_API", ""}});
  EXPECT_EQ(run.code, 2);
  EXPECT_NE(run.err.find("AWS_LAMBDA_RUNTIME_API is not set"), std::string::npos) << run.err;
}

}  // namespace
