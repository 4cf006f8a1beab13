#include "app/application.hpp"

#include "api/auth_routes.hpp"
#include "api/catalog_routes.hpp"
#include "api/health_routes.hpp"
#include "api/metrics_routes.hpp"
#include "api/order_event_routes.hpp"
#include "api/order_routes.hpp"
#include "api/payment_routes.hpp"
#include "api/users_routes.hpp"
#include "core/error.hpp"
#include "db/database_health_check.hpp"
#include "security/base64.hpp"
#include "security/compact_jws.hpp"

namespace mercato::app {

namespace {

constexpr std::chrono::minutes access_token_lifetime{15};
constexpr std::string_view token_issuer = "mercato";
constexpr std::string_view stream_route = "/api/orders/events";

std::vector<std::unique_ptr<domain::HealthCheck>> make_health_checks(db::Database& database,
                                                                      observability::Logger& log) {
  std::vector<std::unique_ptr<domain::HealthCheck>> checks;
  checks.push_back(std::make_unique<db::DatabaseHealthCheck>(database, [&log](const std::string& detail) {
    log.warn("health_check_failed", {{"check", "database"}, {"detail", detail}});
  }));
  return checks;
}

std::vector<std::uint8_t> key_bytes(std::string_view name, const std::string& base64) {
  auto bytes = security::base64_decode(base64);
  if (!bytes || bytes->size() != 32) throw ConfigError(std::string(name), "must be the base64 of exactly 32 bytes");
  return *bytes;
}

security::FieldCipher make_cipher(const Config& config, security::RandomSource& random) {
  std::vector<std::vector<std::uint8_t>> old_keys;
  for (const auto& key : config.data_encryption_old_keys) old_keys.push_back(key_bytes("DATA_ENCRYPTION_OLD_KEYS", key));
  return security::FieldCipher(key_bytes("DATA_ENCRYPTION_KEY", config.data_encryption_key), std::move(old_keys),
                               random);
}

http::ClientIpResolver make_client_ip(const Config& config) {
  try {
    return http::ClientIpResolver(config.trusted_proxies);
  } catch (const std::invalid_argument& e) {
    throw ConfigError("TRUSTED_PROXIES", e.what());
  }
}

clients::stripe::StripeOptions stripe_options(const Config& config) {
  clients::stripe::StripeOptions options;
  options.api_base = config.stripe_api_base;
  options.secret_key = config.stripe_secret_key;
  options.webhook_secrets = config.stripe_webhook_secrets;
  return options;
}

// A command that leaves CLOUDWATCH_METRICS unset to the Application means off (serve's
// default); `mercato lambda` sets it on first.
std::unique_ptr<observability::EmfMetrics> make_emf_metrics(const Config& config, observability::Metrics& inner,
                                                            Platform platform) {
  if (!config.cloudwatch_metrics.value_or(false)) return nullptr;
  return std::make_unique<observability::EmfMetrics>(inner, platform.log, platform.clock, config.metrics_namespace);
}

double seconds_since_epoch(std::chrono::system_clock::time_point at) {
  return std::chrono::duration<double>(at.time_since_epoch()).count();
}

std::optional<std::string_view> bearer_token(const http::Request& request) {
  auto header = request.headers.get("Authorization");
  if (!header) return std::nullopt;
  constexpr std::string_view scheme = "Bearer ";
  if (header->size() <= scheme.size() || !http::iequals(header->substr(0, scheme.size()), scheme))
    throw mercato::Error{mercato::ErrorKind::unauthorized, "invalid_token", "Use Authorization: Bearer <access token>."};
  return header->substr(scheme.size());
}

}  // namespace

Application::Application(const Config& config, db::Database& database, Platform platform, Transport transport)
    : config_(config),
      database_(database),
      platform_(platform),
      transport_(transport),
      emf_metrics_(make_emf_metrics(config, metrics_registry_, platform)),
      metrics_(emf_metrics_ ? static_cast<observability::Metrics&>(*emf_metrics_) : metrics_registry_),
      cipher_(make_cipher(config, platform.random)),
      hasher_(config.bcrypt_cost, platform.random),
      jwt_(config.jwt_secret, std::string(token_issuer), access_token_lifetime, platform.clock, platform.random),
      login_throttle_(config.login_failures_per_account, platform.clock),
      email_throttle_(config.auth_rate_limit_per_minute, platform.clock),
      account_transactions_(database, cipher_, platform.log, platform.clock, platform.random),
      auth_(account_transactions_, hasher_, jwt_, login_throttle_, email_throttle_,
            domain::AuthSettings{config.app_base_url},
            platform.clock, platform.random),
      user_admin_(account_transactions_, platform.clock),
      catalog_transactions_(database),
      categories_(catalog_transactions_, platform.clock, platform.random),
      products_(catalog_transactions_, platform.clock, platform.random),
      idempotency_keys_(database),
      idempotency_(idempotency_keys_, platform.clock, platform.random),
      order_transactions_(database, platform.log, platform.clock, platform.random),
      gateway_(stripe_options(config), outgoing_http(), platform.clock, platform.random, platform.log),
      payment_transactions_(order_transactions_, platform.log, platform.clock, platform.random),
      payments_(payment_transactions_, gateway_, idempotency_, cipher_,
                domain::PaymentSettings{std::chrono::days{config.refund_window_days}}, platform.log, metrics_,
                platform.clock, platform.random),
      orders_(order_transactions_, idempotency_, payments_, metrics_, platform.clock, platform.random),
      stream_tickets_(account_transactions_, platform.clock, platform.random),
      health_(make_health_checks(database, platform.log)),
      client_ip_(make_client_ip(config)),
      rate_limits_(config.rate_limit_per_minute, config.auth_rate_limit_per_minute, platform.clock) {
  if (database.dialect() == db::Dialect::sqlite)
    order_transactions_.deliver_locally([this](const domain::OrderStatusChanged& e) { order_hub_.publish(e); });
  if (!config.cognito_issuer.empty()) enable_cognito();
  add_routes();
  pipeline_ = std::make_unique<http::Pipeline>(
      router_, http::CorsPolicy{config_.cors_allowed_origins},
      [this](const http::Request& request) { return authenticate(request); }, platform_.log, platform_.clock,
      platform_.random, http::PipelineGuards{&client_ip_, &rate_limits_, &metrics_});
}

void Application::enable_cognito() {
  cognito_keys_ = std::make_unique<clients::JwksKeySource>(config_.cognito_jwks_url, outgoing_http(), platform_.clock,
                                                           platform_.log);
  cognito_verifier_ = std::make_unique<security::CognitoTokenVerifier>(
      security::CognitoSettings{config_.cognito_issuer, config_.cognito_client_ids}, *cognito_keys_, platform_.clock);
  cognito_ = std::make_unique<domain::CognitoAuthenticator>(*cognito_verifier_, account_transactions_, platform_.log,
                                                            platform_.clock, platform_.random);
}

void Application::add_routes() {
  api::add_health_routes(router_, health_, MERCATO_VERSION);
  api::add_auth_routes(router_, auth_, api::AuthRouteSettings{config_.cors_allowed_origins});
  api::add_users_routes(router_, user_admin_);
  api::add_category_routes(router_, categories_);
  api::add_product_routes(router_, products_);
  api::add_order_routes(router_, orders_);
  api::add_order_event_routes(router_, {orders_, order_hub_, stream_tickets_, transport_ == Transport::socket});
  api::add_payment_routes(router_, payments_);
  if (!config_.metrics_token.empty())
    api::add_metrics_routes(router_, metrics_registry_,
                            {config_.metrics_token, {MERCATO_VERSION, seconds_since_epoch(platform_.clock.now())}});
}

// Tokens travel in the Authorization header only: a URL ends up in logs and histories.
// The one exception is the event stream, which browsers open with EventSource: it takes a
// single-use ticket (StreamTicketService) in the URL instead.
std::optional<Principal> Application::authenticate(const http::Request& request) {
  if (request.query_param("access_token"))
    throw mercato::Error{mercato::ErrorKind::unauthorized, "token_in_url", "Send the access token in the Authorization header."};
  auto token = bearer_token(request);
  if (token) return authenticate_bearer(*token);
  auto ticket = request.query_param("ticket");
  if (ticket && request.route_template == stream_route) return stream_tickets_.redeem(*ticket);
  return std::nullopt;
}

// The JOSE header alone picks the verifier, and each verifier accepts its own algorithm
// only: Mercato's HS256 tokens, or the user pool's RS256 ones. Nothing else is tried.
Principal Application::authenticate_bearer(std::string_view token) {
  auto header = security::peek_jose_header(token, security::JwtSigner::max_token_bytes);
  if (header && header->alg == "HS256") return *auth_.authenticate(token);
  if (header && header->alg == "RS256" && !header->kid.empty() && cognito_) return cognito_->authenticate(token);
  throw mercato::Error{mercato::ErrorKind::unauthorized, "invalid_token", "The access token is not valid."};
}

}  // namespace mercato::app
