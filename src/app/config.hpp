#pragma once
// The server's configuration, read once from the environment (names as in API.md).
// Development has safe defaults; APP_ENV=production refuses missing or weak secrets.

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "observability/logger.hpp"

namespace mercato::app {

enum class AppEnv { development, production };

struct Config {
  AppEnv env = AppEnv::development;
  std::uint16_t port = 8080;
  std::string bind_address = "0.0.0.0";
  std::string database_url = "sqlite:data/mercato.db";
  std::string app_base_url = "http://localhost:8080";
  std::string jwt_secret;
  int bcrypt_cost = 12;
  std::string stripe_secret_key;
  // Several while a secret is rotated (comma-separated in STRIPE_WEBHOOK_SECRET), current first.
  std::vector<std::string> stripe_webhook_secrets;
  std::string stripe_api_base = "https://api.stripe.com";
  // Cognito sign-in beside Mercato's own: off while cognito_issuer is empty.
  std::string cognito_issuer;
  std::vector<std::string> cognito_client_ids;
  std::string cognito_jwks_url;  // <issuer>/.well-known/jwks.json unless COGNITO_JWKS_URL says otherwise
  std::string smtp_url;
  std::string mail_from = "Mercato <no-reply@localhost>";
  std::string mail_outbox_dir = "data/outbox";
  int refund_window_days = 30;
  std::string data_encryption_key;  // base64 of 32 bytes
  std::vector<std::string> data_encryption_old_keys;
  std::vector<std::string> cors_allowed_origins;
  std::vector<std::string> trusted_proxies;
  int rate_limit_per_minute = 600;
  int auth_rate_limit_per_minute = 20;
  int login_failures_per_account = 10;
  observability::LogLevel log_level = observability::LogLevel::info;

  // Metrics. GET /metrics exists only with a token. CloudWatch EMF lines: nullopt when
  // CLOUDWATCH_METRICS is unset, for the command to choose (serve: off, lambda: on).
  std::string metrics_token;
  std::optional<bool> cloudwatch_metrics;
  std::string metrics_namespace = "Mercato";

  // Server tuning.
  std::size_t io_threads = 1;
  std::size_t worker_threads = 8;
  std::size_t worker_queue = 1024;
  std::size_t db_pool_size = 10;
  std::size_t body_limit_bytes = 1024 * 1024;
  std::chrono::milliseconds read_timeout{10'000};
  std::chrono::milliseconds idle_timeout{30'000};
};

// A bad or missing setting: `name` is the variable, what() the one line to print.
class ConfigError : public std::runtime_error {
 public:
  ConfigError(std::string name, const std::string& message)
      : std::runtime_error(name + ": " + message), name_(std::move(name)) {}
  const std::string& name() const noexcept { return name_; }

 private:
  std::string name_;
};

using Environment = std::function<std::optional<std::string>(std::string_view name)>;

Environment process_environment();
Config load_config(const Environment& env);

}  // namespace mercato::app
