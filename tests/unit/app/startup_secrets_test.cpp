// with_startup_secrets over a fake Secrets Manager: the overlay and its precedence, the
// names a secret may set, DATABASE_URL's user info from the RDS secret, and what is
// refused (with the key named, never a value).

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <map>
#include <sstream>

#include "app/startup_secrets.hpp"
#include "support/fixed_clock.hpp"

namespace {

using namespace mercato::app;
using mercato::clients::HttpCall;
using mercato::clients::HttpReply;
namespace json = boost::json;

constexpr const char* app_arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:mercato/app-AbCdEf";
constexpr const char* db_arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-1234-XyZ";

using Variables = std::map<std::string, std::string, std::less<>>;

Environment env_of(Variables values) {
  return [values = std::move(values)](std::string_view name) -> std::optional<std::string> {
    auto it = values.find(name);
    return it == values.end() ? std::nullopt : std::optional<std::string>{it->second};
  };
}

// Answers GetSecretValue from a map of SecretId → SecretString, as AWS would.
class FakeSecretsManager final : public mercato::clients::HttpClient {
 public:
  std::map<std::string, std::string> secrets;
  std::vector<HttpCall> calls;

  HttpReply send(const HttpCall& call) override {
    calls.push_back(call);
    auto id = std::string(json::parse(call.body).at("SecretId").as_string());
    auto it = secrets.find(id);
    if (it == secrets.end())
      return {400, {}, R"({"__type":"ResourceNotFoundException","Message":"Secrets Manager can't find the specified secret."})"};
    return {200, {}, json::serialize(json::object{{"ARN", id}, {"SecretString", it->second}})};
  }
};

class StartupSecretsTest : public ::testing::Test {
 protected:
  Variables aws_env(Variables extra = {}) const {
    Variables values{{"AWS_REGION", "eu-west-1"},
                     {"AWS_ACCESS_KEY_ID", "ASIAEXAMPLE"},
                     {"AWS_SECRET_ACCESS_KEY", "example-secret-access-key"},
                     {"AWS_SESSION_TOKEN", "session-token-1"}};
    for (auto& [k, v] : extra) values[k] = v;
    return values;
  }

  StartupSecrets load(Variables values) {
    return load_startup_secrets(env_of(std::move(values)), http, clock, [](std::chrono::milliseconds) {});
  }

  // The ConfigError's what(), or "" when there was none.
  std::string config_error(Variables values) {
    try {
      load(std::move(values));
    } catch (const ConfigError& e) {
      return e.what();
    }
    return "";
  }

  FakeSecretsManager http;
  mercato::testing::FixedClock clock;
};

TEST_F(StartupSecretsTest, WithoutAnArnTheEnvironmentIsUntouchedAndNothingIsCalled) {
  auto secrets = load({{"JWT_SECRET", "from-env"}, {"SECRETS_ARN", ""}});
  EXPECT_FALSE(secrets.loaded);
  EXPECT_EQ(secrets.environment("JWT_SECRET"), "from-env");
  EXPECT_EQ(secrets.environment("STRIPE_SECRET_KEY"), std::nullopt);
  EXPECT_TRUE(http.calls.empty());
  std::ostringstream out;
  mercato::observability::Logger log(out, mercato::observability::LogLevel::debug, clock);
  log_startup_secrets(secrets, log);
  EXPECT_EQ(out.str(), "") << "no line without an ARN";
}

TEST_F(StartupSecretsTest, TheSecretOverlaysTheEnvironment) {
  http.secrets[app_arn] = R"({"JWT_SECRET":"jwt-from-secret","STRIPE_SECRET_KEY":"sk_live_from_secret"})";
  auto secrets = load(aws_env({{"SECRETS_ARN", app_arn}, {"LOG_LEVEL", "debug"}}));
  EXPECT_TRUE(secrets.loaded);
  EXPECT_EQ(secrets.environment("JWT_SECRET"), "jwt-from-secret");
  EXPECT_EQ(secrets.environment("STRIPE_SECRET_KEY"), "sk_live_from_secret");
  EXPECT_EQ(secrets.environment("LOG_LEVEL"), "debug") << "the rest of the environment stays";
  EXPECT_EQ(secrets.environment("SMTP_URL"), std::nullopt);
  EXPECT_EQ(secrets.taken, (std::vector<std::string>{"JWT_SECRET", "STRIPE_SECRET_KEY"}));
  ASSERT_EQ(http.calls.size(), 1u);
  EXPECT_EQ(http.calls[0].url, "https://secretsmanager.eu-west-1.amazonaws.com/");
}

TEST_F(StartupSecretsTest, AVariableSetAndNotEmptyInTheEnvironmentWins) {
  http.secrets[app_arn] = R"({"JWT_SECRET":"jwt-from-secret","SMTP_URL":"smtp://secret.example"})";
  auto secrets = load(aws_env({{"SECRETS_ARN", app_arn}, {"JWT_SECRET", "jwt-from-env"}, {"SMTP_URL", ""}}));
  EXPECT_EQ(secrets.environment("JWT_SECRET"), "jwt-from-env");
  EXPECT_EQ(secrets.environment("SMTP_URL"), "smtp://secret.example") << "an empty variable does not win";
  EXPECT_EQ(secrets.taken, std::vector<std::string>{"SMTP_URL"});
  EXPECT_EQ(secrets.kept, std::vector<std::string>{"JWT_SECRET"});
}

TEST_F(StartupSecretsTest, AProductionConfigurationCanComeFromTheSecretAlone) {
  http.secrets[app_arn] = R"({"JWT_SECRET":"0123456789abcdef0123456789abcdef-prod","STRIPE_SECRET_KEY":"sk_live_x",)"
                          R"("STRIPE_WEBHOOK_SECRET":"whsec_x","DATA_ENCRYPTION_KEY":"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="})";
  auto config = load_config(load(aws_env({{"SECRETS_ARN", app_arn}, {"APP_ENV", "production"}})).environment);
  EXPECT_EQ(config.env, AppEnv::production);
  EXPECT_EQ(config.jwt_secret, "0123456789abcdef0123456789abcdef-prod");
  EXPECT_EQ(config.stripe_webhook_secrets, std::vector<std::string>{"whsec_x"});
}

TEST_F(StartupSecretsTest, KeysMustBeEnvironmentVariableNames) {
  for (std::string key : {"jwt_secret", "1JWT", "JWT-SECRET", "", "JWT SECRET", "Ä"}) {
    http.secrets[app_arn] = json::serialize(json::object{{key, "value-never-shown"}});
    auto error = config_error(aws_env({{"SECRETS_ARN", app_arn}}));
    EXPECT_EQ(error.rfind("SECRETS_ARN: ", 0), 0u) << key << ": " << error;
    EXPECT_NE(error.find(json::serialize(json::string(key))), std::string::npos) << "names the key: " << error;
    EXPECT_EQ(error.find("value-never-shown"), std::string::npos) << error;
  }
}

TEST_F(StartupSecretsTest, TheSecretCannotSetAwsVariablesOrTheArns) {
  for (std::string key : {"AWS_SECRET_ACCESS_KEY", "AWS_REGION", "AWS_ENDPOINT_URL", "SECRETS_ARN", "DATABASE_SECRET_ARN"}) {
    http.secrets[app_arn] = json::serialize(json::object{{key, "value-never-shown"}});
    auto error = config_error(aws_env({{"SECRETS_ARN", app_arn}}));
    EXPECT_NE(error.find("\"" + key + "\" cannot be set"), std::string::npos) << error;
    EXPECT_EQ(error.find("value-never-shown"), std::string::npos) << error;
  }
}

TEST_F(StartupSecretsTest, ValuesMustBeStrings) {
  for (std::string value : {"424242", "true", "null", R"({"a":"4242"})", R"(["4242"])"}) {
    http.secrets[app_arn] = R"({"JWT_SECRET":"fine","BCRYPT_COST":)" + value + "}";
    auto error = config_error(aws_env({{"SECRETS_ARN", app_arn}}));
    EXPECT_EQ(error, "SECRETS_ARN: the value of \"BCRYPT_COST\" must be a string") << value;
  }
}

TEST_F(StartupSecretsTest, TheSecretMustBeAJsonObject) {
  for (std::string text : {"plain-text-value-never-shown", R"(["plain-text-value-never-shown"])", R"("plain-text-value-never-shown")"}) {
    http.secrets[app_arn] = text;
    auto error = config_error(aws_env({{"SECRETS_ARN", app_arn}}));
    EXPECT_EQ(error.rfind("SECRETS_ARN: the secret's value must be a JSON object", 0), 0u) << error;
    EXPECT_EQ(error.find("never-shown"), std::string::npos) << error;
  }
}

TEST_F(StartupSecretsTest, TheDatabaseSecretGoesIntoDatabaseUrlPercentEncoded) {
  http.secrets[db_arn] = R"({"username":"mercato@admin","password":"p@ss:w/rd%50 x?#"})";
  auto secrets = load(aws_env({{"DATABASE_SECRET_ARN", db_arn},
                               {"DATABASE_URL", "postgresql://proxy.example:5432/mercato?sslmode=require"}}));
  EXPECT_EQ(secrets.environment("DATABASE_URL"),
            "postgresql://mercato%40admin:p%40ss%3Aw%2Frd%2550%20x%3F%23@proxy.example:5432/mercato?sslmode=require");
  EXPECT_TRUE(secrets.database_credentials);
  EXPECT_TRUE(secrets.taken.empty());
}

TEST_F(StartupSecretsTest, TheDatabaseSecretsUserReplacesTheUrlsUser) {
  http.secrets[db_arn] = R"({"username":"mercato","password":"pw","engine":"postgres"})";
  auto secrets = load(aws_env({{"DATABASE_SECRET_ARN", db_arn}, {"DATABASE_URL", "postgres://someone@db:5432/m"}}));
  EXPECT_EQ(secrets.environment("DATABASE_URL"), "postgres://mercato:pw@db:5432/m");
}

TEST_F(StartupSecretsTest, DatabaseUrlMayComeFromTheAppSecretAndIsThenRewritten) {
  http.secrets[app_arn] = R"({"DATABASE_URL":"postgresql://db.internal/mercato"})";
  http.secrets[db_arn] = R"({"username":"u","password":"p"})";
  auto secrets = load(aws_env({{"SECRETS_ARN", app_arn}, {"DATABASE_SECRET_ARN", db_arn}}));
  EXPECT_EQ(secrets.environment("DATABASE_URL"), "postgresql://u:p@db.internal/mercato");
  EXPECT_EQ(http.calls.size(), 2u);
}

TEST_F(StartupSecretsTest, DatabaseUrlMustBeAPostgresUrlWithoutAPassword) {
  http.secrets[db_arn] = R"({"username":"u","password":"pw-never-shown"})";
  for (std::string url : {"sqlite:data/mercato.db", "postgresql://u:old@db/m", "postgresql:///m?host=/run", ""}) {
    auto error = config_error(aws_env({{"DATABASE_SECRET_ARN", db_arn}, {"DATABASE_URL", url}}));
    EXPECT_EQ(error.rfind("DATABASE_URL: ", 0), 0u) << url << ": " << error;
    EXPECT_EQ(error.find("pw-never-shown"), std::string::npos) << error;
  }
  EXPECT_EQ(config_error(aws_env({{"DATABASE_SECRET_ARN", db_arn}})).rfind("DATABASE_URL: ", 0), 0u);
}

TEST_F(StartupSecretsTest, TheDatabaseSecretNeedsAUsernameAndAPassword) {
  for (std::string secret : {R"({"username":"u"})", R"({"password":"pw-never-shown"})",
                             R"({"username":"u","password":1234})", R"({"username":"","password":"pw-never-shown"})",
                             "not json pw-never-shown"}) {
    http.secrets[db_arn] = secret;
    auto error = config_error(aws_env({{"DATABASE_SECRET_ARN", db_arn}, {"DATABASE_URL", "postgresql://db/m"}}));
    EXPECT_EQ(error.rfind("DATABASE_SECRET_ARN: ", 0), 0u) << secret << ": " << error;
    EXPECT_EQ(error.find("pw-never-shown"), std::string::npos) << error;
  }
}

TEST_F(StartupSecretsTest, RegionAndCredentialsAreRequiredWithAnArn) {
  for (std::string missing : {"AWS_REGION", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"}) {
    auto values = aws_env({{"SECRETS_ARN", app_arn}});
    values.erase(missing);
    EXPECT_EQ(config_error(values).rfind(missing + ": ", 0), 0u) << missing;
    values[missing] = "";
    EXPECT_EQ(config_error(values).rfind(missing + ": ", 0), 0u) << missing << " empty";
  }
  EXPECT_TRUE(http.calls.empty());
}

TEST_F(StartupSecretsTest, LongLivedKeysNeedNoSessionToken) {
  http.secrets[app_arn] = R"({"JWT_SECRET":"x"})";
  auto values = aws_env({{"SECRETS_ARN", app_arn}});
  values.erase("AWS_SESSION_TOKEN");
  load(values);
  ASSERT_EQ(http.calls.size(), 1u);
  for (const auto& [name, value] : http.calls[0].headers) EXPECT_NE(name, "X-Amz-Security-Token");
}

TEST_F(StartupSecretsTest, TheRolesSessionTokenIsSent) {
  http.secrets[app_arn] = R"({"JWT_SECRET":"x"})";
  load(aws_env({{"SECRETS_ARN", app_arn}}));
  ASSERT_EQ(http.calls.size(), 1u);
  HttpReply as_reply{0, http.calls[0].headers, {}};
  EXPECT_EQ(as_reply.header("X-Amz-Security-Token"), "session-token-1");
  EXPECT_NE(as_reply.header("Authorization").value_or("").find("Credential=ASIAEXAMPLE/20261125/eu-west-1/secretsmanager/"),
            std::string::npos);
}

TEST_F(StartupSecretsTest, TheEndpointCanBeOverriddenServiceFirst) {
  http.secrets[app_arn] = R"({})";
  load(aws_env({{"SECRETS_ARN", app_arn}, {"AWS_ENDPOINT_URL", "http://127.0.0.1:1111"}}));
  load(aws_env({{"SECRETS_ARN", app_arn}, {"AWS_ENDPOINT_URL", "http://127.0.0.1:1111"},
                {"AWS_ENDPOINT_URL_SECRETS_MANAGER", "http://127.0.0.1:2222/"}}));
  ASSERT_EQ(http.calls.size(), 2u);
  EXPECT_EQ(http.calls[0].url, "http://127.0.0.1:1111/");
  EXPECT_EQ(http.calls[1].url, "http://127.0.0.1:2222/");
  EXPECT_EQ(config_error(aws_env({{"SECRETS_ARN", app_arn}, {"AWS_ENDPOINT_URL_SECRETS_MANAGER", "ftp://x"}})),
            "AWS_ENDPOINT_URL_SECRETS_MANAGER: must be an http:// or https:// URL");
}

TEST_F(StartupSecretsTest, AnUnknownSecretIsAStartupSecretsErrorNamingTypeAndArn) {
  try {
    load(aws_env({{"SECRETS_ARN", app_arn}}));
    FAIL() << "expected StartupSecretsError";
  } catch (const StartupSecretsError& e) {
    std::string what = e.what();
    EXPECT_NE(what.find("ResourceNotFoundException"), std::string::npos) << what;
    EXPECT_NE(what.find(app_arn), std::string::npos) << what;
  }
}

TEST_F(StartupSecretsTest, TheLogLineNamesVariablesNotValues) {
  http.secrets[app_arn] = R"({"JWT_SECRET":"jwt-value-never-logged","METRICS_TOKEN":"token-value-never-logged"})";
  http.secrets[db_arn] = R"({"username":"u","password":"pw-never-logged"})";
  auto secrets = load(aws_env({{"SECRETS_ARN", app_arn}, {"DATABASE_SECRET_ARN", db_arn},
                               {"METRICS_TOKEN", "env-token"}, {"DATABASE_URL", "postgresql://db/m"}}));
  std::ostringstream out;
  mercato::observability::Logger log(out, mercato::observability::LogLevel::debug, clock);
  log_startup_secrets(secrets, log);
  auto line = json::parse(out.str()).as_object();
  EXPECT_EQ(line.at("event").as_string(), "startup_secrets_loaded");
  EXPECT_EQ(line.at("variables"), json::parse(R"(["JWT_SECRET"])"));
  EXPECT_EQ(line.at("overridden_by_environment"), json::parse(R"(["METRICS_TOKEN"])"));
  EXPECT_EQ(line.at("database_credentials"), true);
  EXPECT_EQ(out.str().find("never-logged"), std::string::npos) << out.str();
  EXPECT_EQ(out.str().find("env-token"), std::string::npos) << out.str();
}

TEST_F(StartupSecretsTest, WithStartupSecretsReturnsTheOverlaidEnvironment) {
  http.secrets[app_arn] = R"({"JWT_SECRET":"jwt-from-secret"})";
  // The default backoff sleeps for real, but no call fails here.
  auto env = with_startup_secrets(env_of(aws_env({{"SECRETS_ARN", app_arn}})), http, clock);
  EXPECT_EQ(env("JWT_SECRET"), "jwt-from-secret");
}

}  // namespace
