// The real `mercato lambda` binary reading its secrets from a fake Secrets Manager at
// start: a production configuration satisfied only through SECRETS_ARN, an unknown ARN
// reported as an init error without any secret in the output, and, on PostgreSQL, the
// database user taken from DATABASE_SECRET_ARN.

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <random>
#include <thread>

#include "support/child_process.hpp"
#include "support/fake_secrets_manager.hpp"
#include "support/lambda_runtime_emulator.hpp"
#include "support/test_database.hpp"

using namespace std::chrono_literals;
using mercato::testing::Backend;
using mercato::testing::ChildProcess;
using mercato::testing::FakeSecretsManager;
using mercato::testing::LambdaOutcome;
using mercato::testing::LambdaRuntimeEmulator;
using mercato::testing::TestDatabase;
namespace json = boost::json;

namespace {

constexpr const char* app_arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:mercato/test/app-AbCdEf";
constexpr const char* db_arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-test-XyZ";
constexpr const char* access_key = "ASIATESTEXAMPLE";
constexpr const char* secret_key = "fake-secret-access-key-never-printed";

// Values distinct enough that finding one in the output means it leaked.
constexpr const char* jwt_value = "jwt-from-secrets-manager-0123456789abcdef";
constexpr const char* stripe_value = "sk_live_from_secrets_manager_never_printed";

std::string app_secret() {
  return json::serialize(json::object{{"JWT_SECRET", jwt_value},
                                      {"STRIPE_SECRET_KEY", stripe_value},
                                      {"STRIPE_WEBHOOK_SECRET", "whsec_from_secrets_manager"},
                                      {"DATA_ENCRYPTION_KEY", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="}});
}

std::string health_event() {
  return json::serialize(json::object{
      {"version", "2.0"}, {"routeKey", "$default"}, {"rawPath", "/api/health"}, {"rawQueryString", ""},
      {"headers", {{"user-agent", "lambda-test"}}},
      {"requestContext",
       {{"requestId", "secrets-test"}, {"http", {{"method", "GET"}, {"path", "/api/health"}, {"sourceIp", "198.51.100.7"}}}}},
      {"isBase64Encoded", false}});
}

std::int64_t status_of(const LambdaOutcome& outcome) {
  EXPECT_EQ(outcome.kind, LambdaOutcome::Kind::response) << outcome.error_type << " " << outcome.body;
  if (outcome.kind != LambdaOutcome::Kind::response) return 0;
  return json::parse(outcome.body).at("statusCode").as_int64();
}

// The production environment of the function, with no secret in it: only ARNs, the fake
// endpoint and the role's (fake) credentials, as Lambda provides them.
std::map<std::string, std::string> function_env(const LambdaRuntimeEmulator& runtime, const FakeSecretsManager& aws,
                                                const std::string& database_url) {
  return {{"AWS_LAMBDA_RUNTIME_API", runtime.endpoint()},
          {"APP_ENV", "production"},
          {"DATABASE_URL", database_url},
          {"APP_BASE_URL", "https://shop.example"},
          {"DB_POOL_SIZE", "2"},
          {"MAIL_OUTBOX_DIR", "/tmp"},
          {"JWT_SECRET", ""},
          {"STRIPE_SECRET_KEY", ""},
          {"STRIPE_WEBHOOK_SECRET", ""},
          {"DATA_ENCRYPTION_KEY", ""},
          {"SECRETS_ARN", app_arn},
          {"AWS_ENDPOINT_URL_SECRETS_MANAGER", aws.endpoint()},
          {"AWS_ENDPOINT_URL", ""},
          {"AWS_REGION", "eu-west-1"},
          {"AWS_ACCESS_KEY_ID", access_key},
          {"AWS_SECRET_ACCESS_KEY", secret_key},
          {"AWS_SESSION_TOKEN", "fake-session-token"}};
}

void expect_no_secret_in(const std::string& text) {
  for (const char* value : {jwt_value, stripe_value, secret_key, "fake-session-token"})
    EXPECT_EQ(text.find(value), std::string::npos) << value << " appears in:\n" << text;
}

class LambdaSecrets : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    if (GetParam() == Backend::postgres) mercato::testing::skip_or_fail_without_postgres();
  }

  LambdaRuntimeEmulator runtime_;
  FakeSecretsManager aws_{access_key, "eu-west-1"};
};

TEST_P(LambdaSecrets, AProductionFunctionGetsItsSecretsFromSecretsManager) {
  TestDatabase db(GetParam());
  aws_.put(app_arn, app_secret());
  ChildProcess function({MERCATO_BINARY_PATH, "lambda"}, function_env(runtime_, aws_, db.url()));
  EXPECT_EQ(status_of(runtime_.call(health_event())), 200) << function.err();
  EXPECT_EQ(aws_.answered(), 1u) << "read once, at start";
  EXPECT_EQ(aws_.refused(), 0u) << "signed as the fake expects";
  auto line = function.wait_for_line("startup_secrets_loaded", 5s);
  ASSERT_TRUE(line) << function.out();
  auto logged = json::parse(*line).as_object();
  EXPECT_EQ(logged.at("variables"),
            json::parse(R"(["JWT_SECRET","STRIPE_SECRET_KEY","STRIPE_WEBHOOK_SECRET","DATA_ENCRYPTION_KEY"])"));
  EXPECT_EQ(logged.at("database_credentials"), false);

  EXPECT_EQ(status_of(runtime_.call(health_event())), 200);
  EXPECT_EQ(aws_.answered(), 1u) << "not read again per invocation";
  function.wait_for_line("\"event\":\"http_request\"", 5s);  // reads the output so far
  expect_no_secret_in(function.out());
  expect_no_secret_in(function.err());
}

INSTANTIATE_TEST_SUITE_P(Backends, LambdaSecrets, ::testing::Values(Backend::sqlite, Backend::postgres),
                         mercato::testing::backend_param_name);

TEST(LambdaSecretsStartup, AnUnknownSecretIsAnInitErrorNamingTheAwsError) {
  LambdaRuntimeEmulator runtime;
  FakeSecretsManager aws(access_key, "eu-west-1");
  aws.put("arn:aws:secretsmanager:eu-west-1:123456789012:secret:another-one", app_secret());
  ChildProcess function({MERCATO_BINARY_PATH, "lambda"}, function_env(runtime, aws, "sqlite::memory:"));
  auto error = runtime.wait_for_init_error();
  ASSERT_TRUE(error) << function.err();
  EXPECT_EQ(error->error_type, "Runtime.InitError");
  EXPECT_NE(error->body.find("ResourceNotFoundException"), std::string::npos) << error->body;
  EXPECT_NE(error->body.find(app_arn), std::string::npos) << error->body;
  EXPECT_EQ(function.wait(10s), 1);
  EXPECT_NE(function.err().find("ResourceNotFoundException"), std::string::npos) << function.err();
  expect_no_secret_in(error->body);
  expect_no_secret_in(function.out());
  expect_no_secret_in(function.err());
}

TEST(LambdaSecretsStartup, ABadKeyInTheSecretIsAConfigErrorThatShowsNoValue) {
  LambdaRuntimeEmulator runtime;
  FakeSecretsManager aws(access_key, "eu-west-1");
  aws.put(app_arn, json::serialize(json::object{{"jwt_secret", jwt_value}}));
  ChildProcess function({MERCATO_BINARY_PATH, "lambda"}, function_env(runtime, aws, "sqlite::memory:"));
  auto error = runtime.wait_for_init_error();
  ASSERT_TRUE(error) << function.err();
  EXPECT_EQ(error->error_type, "Runtime.ConfigError");
  EXPECT_NE(error->body.find("jwt_secret"), std::string::npos) << error->body;
  EXPECT_EQ(function.wait(10s), 2);
  expect_no_secret_in(error->body);
  expect_no_secret_in(function.err());
}

TEST(LambdaSecretsStartup, CredentialsForAnotherRegionAreRefusedByTheService) {
  LambdaRuntimeEmulator runtime;
  FakeSecretsManager aws(access_key, "us-east-1");  // expects a us-east-1 scope
  aws.put(app_arn, app_secret());
  ChildProcess function({MERCATO_BINARY_PATH, "lambda"}, function_env(runtime, aws, "sqlite::memory:"));
  auto error = runtime.wait_for_init_error();
  ASSERT_TRUE(error) << function.err();
  EXPECT_NE(error->body.find("IncompleteSignatureException"), std::string::npos) << error->body;
  EXPECT_EQ(aws.refused(), 1u);
}

// The throwaway server trusts every local connection, so a wrong password would go
// unnoticed here (the encoding of the password is tested in startup_secrets_test). What
// this shows: the URL is rewritten and the connections are made as the secret's user.
TEST(LambdaDatabaseSecret, ConnectsAsTheUserOfTheDatabaseSecret) {
  mercato::testing::skip_or_fail_without_postgres();
  if (::testing::Test::IsSkipped() || ::testing::Test::HasFatalFailure()) return;
  TestDatabase db(Backend::postgres);
  auto schema = db.url().substr(db.url().find("search_path%3D") + 14);
  // Roles are server-wide: a unique name. On AWS the secret's user is the master user, who
  // owns everything; here it gets what the function needs in the test's schema.
  std::string role = "mercato_secret_" + std::to_string(std::random_device{}() % 1'000'000'000);
  db.database().acquire()->execute_script(
      "CREATE ROLE " + role + " LOGIN PASSWORD 'p@ss:w/rd%50 x';" + "GRANT USAGE, CREATE ON SCHEMA " + schema + " TO " + role +
      ";" + "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA " + schema + " TO " + role + ";" +
      "GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA " + schema + " TO " + role + ";");
  {
    LambdaRuntimeEmulator runtime;
    FakeSecretsManager aws(access_key, "eu-west-1");
    aws.put(app_arn, app_secret());
    aws.put(db_arn, json::serialize(json::object{{"username", role}, {"password", "p@ss:w/rd%50 x"}}));
    auto env = function_env(runtime, aws, db.url());  // its user ("mercato") is replaced
    env["DATABASE_SECRET_ARN"] = db_arn;
    ChildProcess function({MERCATO_BINARY_PATH, "lambda"}, env);
    auto status = status_of(runtime.call(health_event()));
    auto init_error = runtime.wait_for_init_error(0ms);  // e.g. a privilege the role lacks
    EXPECT_EQ(status, 200) << (init_error ? init_error->body : function.err());
    auto rows = db.database().acquire()->execute(
        "SELECT count(*) FROM pg_stat_activity WHERE usename = '" + role + "'", {});
    EXPECT_GE(rows.rows.at(0).int64(0), 1) << "the function's pool is connected as " << role;
    auto line = function.wait_for_line("startup_secrets_loaded", 5s);
    ASSERT_TRUE(line);
    EXPECT_EQ(json::parse(*line).at("database_credentials"), true);
    EXPECT_EQ(function.out().find("p@ss"), std::string::npos);
    EXPECT_EQ(function.out().find("p%40ss"), std::string::npos);
  }
  db.database().acquire()->execute_script("DROP OWNED BY " + role + "; DROP ROLE " + role + ";");
}

}  // namespace
