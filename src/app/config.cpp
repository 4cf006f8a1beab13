#include "app/config.hpp"

#include <boost/url/parse.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdlib>

#include "http/rate_limit/client_ip.hpp"
#include "security/base64.hpp"

namespace mercato::app {

namespace {

// Development-only values: well known, so never accepted in production.
constexpr std::string_view dev_jwt_secret = "development-only-jwt-secret-not-for-production-use";
constexpr std::string_view dev_stripe_secret_key = "sk_test_mercato_development";
constexpr std::string_view dev_stripe_webhook_secret = "whsec_mercato_development";
constexpr std::string_view dev_encryption_key = "ZGV2ZWxvcG1lbnQtb25seS1rZXktMzItYnl0ZXMhISE=";

class Reader {
 public:
  explicit Reader(const Environment& env) : env_(env) {}

  std::optional<std::string> text(std::string_view name) const {
    auto value = env_(name);
    if (value && value->empty()) return std::nullopt;
    return value;
  }

  long long integer(std::string_view name, long long fallback, long long min, long long max) const {
    auto value = text(name);
    if (!value) return fallback;
    long long out = 0;
    auto [ptr, ec] = std::from_chars(value->data(), value->data() + value->size(), out);
    if (ec != std::errc{} || ptr != value->data() + value->size() || out < min || out > max)
      throw ConfigError(std::string{name}, "must be an integer from " + std::to_string(min) + " to " + std::to_string(max));
    return out;
  }

  std::vector<std::string> list(std::string_view name) const {
    std::vector<std::string> out;
    auto value = text(name);
    if (!value) return out;
    std::size_t start = 0;
    while (start <= value->size()) {
      auto end = value->find(',', start);
      if (end == std::string::npos) end = value->size();
      auto item = trim(std::string_view{*value}.substr(start, end - start));
      if (!item.empty()) out.emplace_back(item);
      start = end + 1;
    }
    return out;
  }

 private:
  static std::string_view trim(std::string_view s) {
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
    return s;
  }

  const Environment& env_;
};

void require_encryption_key(std::string_view name, const std::string& value) {
  auto bytes = security::base64_decode(value);
  if (!bytes || bytes->size() != 32) throw ConfigError(std::string{name}, "must be the base64 of exactly 32 bytes");
}

void require_url(std::string_view name, const std::string& value) {
  if (value.rfind("http://", 0) != 0 && value.rfind("https://", 0) != 0)
    throw ConfigError(std::string{name}, "must be an http:// or https:// URL");
}

// An identity provider's URL: absolute with a host, no query or fragment, and https in
// production (a token's keys fetched over plain http could be anyone's).
void require_provider_url(std::string_view name, const std::string& value, bool production) {
  auto url = boost::urls::parse_absolute_uri(value);
  bool https = url && url->scheme() == "https";
  if (!url || !(https || url->scheme() == "http") || url->encoded_host().empty() || url->has_query() ||
      url->has_fragment())
    throw ConfigError(std::string{name}, "must be an http:// or https:// URL with a host");
  if (production && !https) throw ConfigError(std::string{name}, "must be an https:// URL in production");
}

void read_cognito(const Reader& r, Config& c) {
  bool production = c.env == AppEnv::production;
  c.cognito_client_ids = r.list("COGNITO_CLIENT_IDS");
  auto jwks_url = r.text("COGNITO_JWKS_URL");
  auto issuer = r.text("COGNITO_ISSUER");
  if (!issuer) {
    if (!c.cognito_client_ids.empty()) throw ConfigError("COGNITO_CLIENT_IDS", "is set but COGNITO_ISSUER is not");
    if (jwks_url) throw ConfigError("COGNITO_JWKS_URL", "is set but COGNITO_ISSUER is not");
    return;
  }
  // Tokens name their issuer exactly, without a trailing slash.
  if (issuer->ends_with('/')) throw ConfigError("COGNITO_ISSUER", "must not end with /");
  require_provider_url("COGNITO_ISSUER", *issuer, production);
  if (c.cognito_client_ids.empty()) throw ConfigError("COGNITO_CLIENT_IDS", "is required when COGNITO_ISSUER is set");
  c.cognito_issuer = *issuer;
  c.cognito_jwks_url = jwks_url.value_or(*issuer + "/.well-known/jwks.json");
  require_provider_url("COGNITO_JWKS_URL", c.cognito_jwks_url, production);
}

void read_basics(const Reader& r, Config& c) {
  if (auto env = r.text("APP_ENV")) {
    if (*env == "production") c.env = AppEnv::production;
    else if (*env != "development") throw ConfigError("APP_ENV", "must be development or production");
  }
  c.port = static_cast<std::uint16_t>(r.integer("PORT", c.port, 0, 65535));
  if (auto v = r.text("BIND_ADDRESS")) c.bind_address = *v;
  if (auto v = r.text("DATABASE_URL")) c.database_url = *v;
  if (c.database_url.rfind("sqlite:", 0) != 0 && c.database_url.rfind("postgresql://", 0) != 0 &&
      c.database_url.rfind("postgres://", 0) != 0)
    throw ConfigError("DATABASE_URL", "must start with sqlite: or postgresql://");
  if (auto v = r.text("APP_BASE_URL")) c.app_base_url = *v;
  require_url("APP_BASE_URL", c.app_base_url);
  if (auto v = r.text("LOG_LEVEL")) {
    auto level = observability::parse_log_level(*v);
    if (!level) throw ConfigError("LOG_LEVEL", "must be debug, info, warn or error");
    c.log_level = *level;
  }
}

void read_secrets(const Reader& r, Config& c) {
  bool production = c.env == AppEnv::production;
  auto secret = [&](std::string_view name, std::string_view dev_default) {
    auto value = r.text(name);
    if (!value && production) throw ConfigError(std::string{name}, "is required when APP_ENV=production");
    if (value && production && *value == dev_default)
      throw ConfigError(std::string{name}, "must not be the development default in production");
    return value.value_or(std::string{dev_default});
  };
  c.jwt_secret = secret("JWT_SECRET", dev_jwt_secret);
  if (production && c.jwt_secret.size() < 32) throw ConfigError("JWT_SECRET", "must be at least 32 bytes in production");
  c.stripe_secret_key = secret("STRIPE_SECRET_KEY", dev_stripe_secret_key);
  secret("STRIPE_WEBHOOK_SECRET", dev_stripe_webhook_secret);
  c.stripe_webhook_secrets = r.list("STRIPE_WEBHOOK_SECRET");
  if (c.stripe_webhook_secrets.empty()) c.stripe_webhook_secrets.emplace_back(dev_stripe_webhook_secret);
  for (const auto& one : c.stripe_webhook_secrets) {
    if (production && one == dev_stripe_webhook_secret)
      throw ConfigError("STRIPE_WEBHOOK_SECRET", "must not be the development default in production");
    if (one.rfind("whsec_", 0) != 0) throw ConfigError("STRIPE_WEBHOOK_SECRET", "each secret must start with whsec_");
  }
  c.data_encryption_key = secret("DATA_ENCRYPTION_KEY", dev_encryption_key);
  require_encryption_key("DATA_ENCRYPTION_KEY", c.data_encryption_key);
  c.data_encryption_old_keys = r.list("DATA_ENCRYPTION_OLD_KEYS");
  for (const auto& key : c.data_encryption_old_keys) require_encryption_key("DATA_ENCRYPTION_OLD_KEYS", key);
}

void read_integrations(const Reader& r, Config& c) {
  if (auto v = r.text("STRIPE_API_BASE")) c.stripe_api_base = *v;
  require_url("STRIPE_API_BASE", c.stripe_api_base);
  if (auto v = r.text("SMTP_URL")) c.smtp_url = *v;
  if (!c.smtp_url.empty() && c.smtp_url.rfind("smtp://", 0) != 0 && c.smtp_url.rfind("smtps://", 0) != 0)
    throw ConfigError("SMTP_URL", "must start with smtp:// or smtps://");
  if (auto v = r.text("MAIL_FROM")) c.mail_from = *v;
  if (auto v = r.text("MAIL_OUTBOX_DIR")) c.mail_outbox_dir = *v;
  c.bcrypt_cost = static_cast<int>(r.integer("BCRYPT_COST", c.bcrypt_cost, 4, 31));
  if (c.env == AppEnv::production && c.bcrypt_cost < 10) throw ConfigError("BCRYPT_COST", "must be at least 10 in production");
  c.refund_window_days = static_cast<int>(r.integer("REFUND_WINDOW_DAYS", c.refund_window_days, 0, 3650));
}

void read_http(const Reader& r, Config& c) {
  c.cors_allowed_origins = r.list("CORS_ALLOWED_ORIGINS");
  for (const auto& origin : c.cors_allowed_origins) {
    if (origin == "*") throw ConfigError("CORS_ALLOWED_ORIGINS", "must list origins; '*' cannot be used with credentials");
    require_url("CORS_ALLOWED_ORIGINS", origin);
  }
  c.trusted_proxies = r.list("TRUSTED_PROXIES");
  try {
    http::ClientIpResolver check(c.trusted_proxies);
  } catch (const std::invalid_argument& e) {
    throw ConfigError("TRUSTED_PROXIES", e.what());
  }
  c.rate_limit_per_minute = static_cast<int>(r.integer("RATE_LIMIT_PER_MINUTE", c.rate_limit_per_minute, 1, 1'000'000));
  c.auth_rate_limit_per_minute =
      static_cast<int>(r.integer("AUTH_RATE_LIMIT_PER_MINUTE", c.auth_rate_limit_per_minute, 1, 1'000'000));
  c.login_failures_per_account =
      static_cast<int>(r.integer("LOGIN_FAILURES_PER_ACCOUNT", c.login_failures_per_account, 1, 1'000));
  c.io_threads = static_cast<std::size_t>(r.integer("IO_THREADS", static_cast<long long>(c.io_threads), 1, 64));
  c.worker_threads = static_cast<std::size_t>(r.integer("WORKER_THREADS", static_cast<long long>(c.worker_threads), 1, 256));
  c.worker_queue = static_cast<std::size_t>(r.integer("WORKER_QUEUE", static_cast<long long>(c.worker_queue), 1, 1'000'000));
  c.db_pool_size = static_cast<std::size_t>(r.integer("DB_POOL_SIZE", static_cast<long long>(c.db_pool_size), 1, 1000));
  c.body_limit_bytes =
      static_cast<std::size_t>(r.integer("BODY_LIMIT_BYTES", static_cast<long long>(c.body_limit_bytes), 1024, 64LL << 20));
  c.read_timeout = std::chrono::milliseconds{r.integer("READ_TIMEOUT_MS", c.read_timeout.count(), 100, 600'000)};
  c.idle_timeout = std::chrono::milliseconds{r.integer("IDLE_TIMEOUT_MS", c.idle_timeout.count(), 100, 3'600'000)};
}

// CloudWatch namespaces: 1-255 of these characters, and AWS/ is Amazon's.
bool is_valid_namespace(std::string_view name) {
  if (name.empty() || name.size() > 255 || name.rfind("AWS/", 0) == 0) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || std::string_view{".-_/#: "}.find(c) != std::string_view::npos;
  });
}

void read_metrics(const Reader& r, Config& c) {
  if (auto v = r.text("METRICS_TOKEN")) c.metrics_token = *v;
  bool printable = std::all_of(c.metrics_token.begin(), c.metrics_token.end(), [](char ch) { return ch > ' ' && ch < 127; });
  if (!printable) throw ConfigError("METRICS_TOKEN", "must be printable ASCII without spaces");
  if (c.env == AppEnv::production && !c.metrics_token.empty() && c.metrics_token.size() < 32)
    throw ConfigError("METRICS_TOKEN", "must be at least 32 characters in production");
  if (auto v = r.text("CLOUDWATCH_METRICS")) {
    if (*v != "on" && *v != "off") throw ConfigError("CLOUDWATCH_METRICS", "must be on or off");
    c.cloudwatch_metrics = *v == "on";
  }
  if (auto v = r.text("METRICS_NAMESPACE")) c.metrics_namespace = *v;
  if (!is_valid_namespace(c.metrics_namespace))
    throw ConfigError("METRICS_NAMESPACE", "must be 1-255 letters, digits or . - _ / # : space, not starting AWS/");
}

}  // namespace

Environment process_environment() {
  return [](std::string_view name) -> std::optional<std::string> {
    const char* value = std::getenv(std::string{name}.c_str());
    return value ? std::optional<std::string>{value} : std::nullopt;
  };
}

Config load_config(const Environment& env) {
  Reader reader(env);
  Config config;
  read_basics(reader, config);
  read_secrets(reader, config);
  read_integrations(reader, config);
  read_cognito(reader, config);
  read_http(reader, config);
  read_metrics(reader, config);
  return config;
}

}  // namespace mercato::app
