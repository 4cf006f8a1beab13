#include <gtest/gtest.h>

#include <map>

#include "app/config.hpp"

using namespace mercato::app;

namespace {

Environment env_of(std::map<std::string, std::string, std::less<>> values) {
  return [values = std::move(values)](std::string_view name) -> std::optional<std::string> {
    auto it = values.find(name);
    return it == values.end() ? std::nullopt : std::optional<std::string>{it->second};
  };
}

const std::map<std::string, std::string, std::less<>> production_env{
    {"APP_ENV", "production"},
    {"JWT_SECRET", "0123456789abcdef0123456789abcdef-prod"},
    {"STRIPE_SECRET_KEY", "sk_live_example"},
    {"STRIPE_WEBHOOK_SECRET", "whsec_example"},
    {"DATA_ENCRYPTION_KEY", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="},
};

std::string error_of(std::map<std::string, std::string, std::less<>> values) {
  try {
    load_config(env_of(std::move(values)));
  } catch (const ConfigError& e) {
    return e.name();
  }
  return "";
}

}  // namespace

TEST(Config, DevelopmentDefaults) {
  auto c = load_config(env_of({}));
  EXPECT_EQ(c.env, AppEnv::development);
  EXPECT_EQ(c.port, 8080);
  EXPECT_EQ(c.database_url, "sqlite:data/mercato.db");
  EXPECT_EQ(c.bcrypt_cost, 12);
  EXPECT_EQ(c.refund_window_days, 30);
  EXPECT_EQ(c.rate_limit_per_minute, 600);
  EXPECT_EQ(c.auth_rate_limit_per_minute, 20);
  EXPECT_EQ(c.login_failures_per_account, 10);
  EXPECT_EQ(c.stripe_api_base, "https://api.stripe.com");
  EXPECT_EQ(c.mail_outbox_dir, "data/outbox");
  EXPECT_FALSE(c.jwt_secret.empty());
  EXPECT_TRUE(c.cors_allowed_origins.empty());
}

TEST(Config, ReadsValuesAndLists) {
  auto c = load_config(env_of({{"PORT", "9090"},
                               {"DATABASE_URL", "postgresql://u@localhost/db"},
                               {"CORS_ALLOWED_ORIGINS", "https://a.example, https://b.example"},
                               {"LOG_LEVEL", "warn"},
                               {"BCRYPT_COST", "4"}}));
  EXPECT_EQ(c.port, 9090);
  EXPECT_EQ(c.database_url, "postgresql://u@localhost/db");
  EXPECT_EQ(c.cors_allowed_origins, (std::vector<std::string>{"https://a.example", "https://b.example"}));
  EXPECT_EQ(c.log_level, mercato::observability::LogLevel::warn);
  EXPECT_EQ(c.bcrypt_cost, 4);
}

TEST(Config, BadValuesNameTheVariable) {
  EXPECT_EQ(error_of({{"PORT", "eighty"}}), "PORT");
  EXPECT_EQ(error_of({{"PORT", "70000"}}), "PORT");
  EXPECT_EQ(error_of({{"APP_ENV", "staging"}}), "APP_ENV");
  EXPECT_EQ(error_of({{"DATABASE_URL", "mysql://x"}}), "DATABASE_URL");
  EXPECT_EQ(error_of({{"LOG_LEVEL", "loud"}}), "LOG_LEVEL");
  EXPECT_EQ(error_of({{"BCRYPT_COST", "3"}}), "BCRYPT_COST");
  EXPECT_EQ(error_of({{"CORS_ALLOWED_ORIGINS", "*"}}), "CORS_ALLOWED_ORIGINS");
  EXPECT_EQ(error_of({{"DATA_ENCRYPTION_KEY", "c2hvcnQ="}}), "DATA_ENCRYPTION_KEY");
  EXPECT_EQ(error_of({{"DATA_ENCRYPTION_OLD_KEYS", "not base64!"}}), "DATA_ENCRYPTION_OLD_KEYS");
  EXPECT_EQ(error_of({{"STRIPE_API_BASE", "ftp://x"}}), "STRIPE_API_BASE");
  EXPECT_EQ(error_of({{"SMTP_URL", "http://x"}}), "SMTP_URL");
}

TEST(Config, ProductionAcceptsCompleteSecrets) {
  auto c = load_config(env_of(production_env));
  EXPECT_EQ(c.env, AppEnv::production);
  EXPECT_EQ(c.jwt_secret, "0123456789abcdef0123456789abcdef-prod");
}

TEST(Config, ProductionRefusesEachMissingSecret) {
  for (auto name : {"JWT_SECRET", "STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET", "DATA_ENCRYPTION_KEY"}) {
    auto env = production_env;
    env.erase(env.find(name));
    EXPECT_EQ(error_of(env), name);
  }
}

TEST(Config, ProductionRefusesWeakSecrets) {
  auto env = production_env;
  env["JWT_SECRET"] = "short";
  EXPECT_EQ(error_of(env), "JWT_SECRET");
  env = production_env;
  env["JWT_SECRET"] = load_config(env_of({})).jwt_secret;  // the development default
  EXPECT_EQ(error_of(env), "JWT_SECRET");
  env = production_env;
  env["BCRYPT_COST"] = "8";
  EXPECT_EQ(error_of(env), "BCRYPT_COST");
}

TEST(Config, EmptyValueMeansUnset) {
  auto c = load_config(env_of({{"PORT", ""}}));
  EXPECT_EQ(c.port, 8080);
}

TEST(Config, WebhookSecretsListForRotation) {
  EXPECT_EQ(load_config(env_of({})).stripe_webhook_secrets, std::vector<std::string>{"whsec_mercato_development"});
  auto c = load_config(env_of({{"STRIPE_WEBHOOK_SECRET", "whsec_new, whsec_old"}}));
  EXPECT_EQ(c.stripe_webhook_secrets, (std::vector<std::string>{"whsec_new", "whsec_old"}));
  EXPECT_EQ(error_of({{"STRIPE_WEBHOOK_SECRET", "whsec_new,not_a_secret"}}), "STRIPE_WEBHOOK_SECRET");
  auto env = production_env;
  env["STRIPE_WEBHOOK_SECRET"] = "whsec_example,whsec_mercato_development";
  EXPECT_EQ(error_of(env), "STRIPE_WEBHOOK_SECRET");
}

TEST(Config, MetricsAreOffUnlessConfigured) {
  auto c = load_config(env_of({}));
  EXPECT_EQ(c.metrics_token, "");
  EXPECT_FALSE(c.cloudwatch_metrics.has_value());  // the command chooses: serve off, lambda on
  EXPECT_EQ(c.metrics_namespace, "Mercato");
}

TEST(Config, ReadsMetricsSettings) {
  auto c = load_config(env_of({{"METRICS_TOKEN", "scrape-me"}, {"CLOUDWATCH_METRICS", "on"},
                               {"METRICS_NAMESPACE", "Mercato/Staging"}}));
  EXPECT_EQ(c.metrics_token, "scrape-me");
  EXPECT_EQ(c.cloudwatch_metrics, std::optional<bool>{true});
  EXPECT_EQ(c.metrics_namespace, "Mercato/Staging");
  EXPECT_EQ(load_config(env_of({{"CLOUDWATCH_METRICS", "off"}})).cloudwatch_metrics, std::optional<bool>{false});
}

TEST(Config, RefusesBadMetricsSettings) {
  EXPECT_EQ(error_of({{"CLOUDWATCH_METRICS", "yes"}}), "CLOUDWATCH_METRICS");
  EXPECT_EQ(error_of({{"METRICS_NAMESPACE", "AWS/Lambda"}}), "METRICS_NAMESPACE");
  EXPECT_EQ(error_of({{"METRICS_NAMESPACE", "bad{name}"}}), "METRICS_NAMESPACE");
  EXPECT_EQ(error_of({{"METRICS_NAMESPACE", std::string(256, 'a')}}), "METRICS_NAMESPACE");
  EXPECT_EQ(error_of({{"METRICS_TOKEN", "has a space"}}), "METRICS_TOKEN");
}

TEST(Config, ProductionMetricsTokenIsAtLeast32Characters) {
  auto env = production_env;
  env["METRICS_TOKEN"] = std::string(31, 'x');
  EXPECT_EQ(error_of(env), "METRICS_TOKEN");
  env["METRICS_TOKEN"] = std::string(32, 'x');
  EXPECT_EQ(load_config(env_of(env)).metrics_token, std::string(32, 'x'));
  env.erase("METRICS_TOKEN");
  EXPECT_EQ(load_config(env_of(env)).metrics_token, "");  // off is allowed in production
}

TEST(Config, CognitoIsOffByDefault) {
  auto c = load_config(env_of({}));
  EXPECT_TRUE(c.cognito_issuer.empty());
  EXPECT_TRUE(c.cognito_client_ids.empty());
}

TEST(Config, CognitoIssuerWithClientIdsDerivesTheJwksUrl) {
  auto c = load_config(env_of({{"COGNITO_ISSUER", "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC"},
                               {"COGNITO_CLIENT_IDS", "web, mobile"}}));
  EXPECT_EQ(c.cognito_issuer, "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC");
  EXPECT_EQ(c.cognito_client_ids, (std::vector<std::string>{"web", "mobile"}));
  EXPECT_EQ(c.cognito_jwks_url, "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC/.well-known/jwks.json");
  auto overridden = load_config(env_of({{"COGNITO_ISSUER", "https://idp.example/pool"},
                                        {"COGNITO_CLIENT_IDS", "web"},
                                        {"COGNITO_JWKS_URL", "https://keys.example/jwks.json"}}));
  EXPECT_EQ(overridden.cognito_jwks_url, "https://keys.example/jwks.json");
}

TEST(Config, CognitoSettingsThatCannotWorkAreRefused) {
  EXPECT_EQ(error_of({{"COGNITO_ISSUER", "https://idp.example/pool"}}), "COGNITO_CLIENT_IDS");
  EXPECT_EQ(error_of({{"COGNITO_ISSUER", "https://idp.example/pool"}, {"COGNITO_CLIENT_IDS", " , "}}),
            "COGNITO_CLIENT_IDS");
  EXPECT_EQ(error_of({{"COGNITO_CLIENT_IDS", "web"}}), "COGNITO_CLIENT_IDS");
  EXPECT_EQ(error_of({{"COGNITO_JWKS_URL", "https://keys.example/jwks.json"}}), "COGNITO_JWKS_URL");
  EXPECT_EQ(error_of({{"COGNITO_ISSUER", "cognito-idp.eu-west-1.amazonaws.com/pool"}, {"COGNITO_CLIENT_IDS", "web"}}),
            "COGNITO_ISSUER");
  EXPECT_EQ(error_of({{"COGNITO_ISSUER", "ftp://idp.example/pool"}, {"COGNITO_CLIENT_IDS", "web"}}), "COGNITO_ISSUER");
  EXPECT_EQ(error_of({{"COGNITO_ISSUER", "https:///pool"}, {"COGNITO_CLIENT_IDS", "web"}}), "COGNITO_ISSUER");
  EXPECT_EQ(error_of({{"COGNITO_ISSUER", "https://idp.example/pool/"}, {"COGNITO_CLIENT_IDS", "web"}}),
            "COGNITO_ISSUER");
  EXPECT_EQ(error_of({{"COGNITO_ISSUER", "https://idp.example/pool"},
                      {"COGNITO_CLIENT_IDS", "web"},
                      {"COGNITO_JWKS_URL", "keys.example"}}),
            "COGNITO_JWKS_URL");
}

TEST(Config, CognitoOverPlainHttpOnlyInDevelopment) {
  auto dev = load_config(env_of({{"COGNITO_ISSUER", "http://127.0.0.1:9229/pool"}, {"COGNITO_CLIENT_IDS", "web"}}));
  EXPECT_EQ(dev.cognito_jwks_url, "http://127.0.0.1:9229/pool/.well-known/jwks.json");
  auto prod = production_env;
  prod["COGNITO_ISSUER"] = "http://idp.example/pool";
  prod["COGNITO_CLIENT_IDS"] = "web";
  EXPECT_EQ(error_of(prod), "COGNITO_ISSUER");
  prod["COGNITO_ISSUER"] = "https://idp.example/pool";
  prod["COGNITO_JWKS_URL"] = "http://idp.example/jwks.json";
  EXPECT_EQ(error_of(prod), "COGNITO_JWKS_URL");
  prod.erase("COGNITO_JWKS_URL");
  EXPECT_EQ(error_of(prod), "");
}
