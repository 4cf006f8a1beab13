#pragma once
// The composition root: the one place that wires configuration, services, repositories
// and routes together. The socket server, the Lambda loop and the tests all drive the same
// Application through its pipeline.

#include <memory>

#include "app/config.hpp"
#include "app/login_throttle.hpp"
#include "core/clock.hpp"
#include "db/accounts/sql_account_transactions.hpp"
#include "db/catalog/sql_catalog_transactions.hpp"
#include "db/idempotency/sql_idempotency_keys.hpp"
#include "db/orders/sql_order_transactions.hpp"
#include "db/payments/sql_payment_transactions.hpp"
#include "clients/curl_http_client.hpp"
#include "clients/jwks_key_source.hpp"
#include "clients/stripe/stripe_gateway.hpp"
#include "db/database.hpp"
#include "domain/accounts/auth_service.hpp"
#include "domain/accounts/cognito_authenticator.hpp"
#include "domain/accounts/user_admin_service.hpp"
#include "domain/catalog/category_service.hpp"
#include "domain/catalog/product_service.hpp"
#include "domain/idempotency/idempotency_service.hpp"
#include "domain/accounts/stream_ticket_service.hpp"
#include "domain/orders/order_event_hub.hpp"
#include "domain/orders/order_service.hpp"
#include "domain/payments/payment_service.hpp"
#include "domain/health/health_service.hpp"
#include "http/pipeline.hpp"
#include "http/rate_limit/client_ip.hpp"
#include "http/rate_limit/rate_limits.hpp"
#include "http/router.hpp"
#include "observability/emf_metrics.hpp"
#include "observability/logger.hpp"
#include "observability/metrics_registry.hpp"
#include "security/field_cipher.hpp"
#include "security/cognito_token_verifier.hpp"
#include "security/jwt.hpp"
#include "security/password_hasher.hpp"
#include "security/random.hpp"

namespace mercato::app {

struct Platform {
  observability::Logger& log;
  const Clock& clock;
  security::RandomSource& random;
  // Outgoing HTTP (Stripe, Cognito's JWKS): the application's own curl client when null;
  // tests hand in a fake.
  clients::HttpClient* http = nullptr;
};

// What carries requests to the Application: the socket server streams responses, Lambda
// behind API Gateway cannot.
enum class Transport { socket, lambda };

class Application {
 public:
  // `database` must be migrated and outlive the Application. Throws ConfigError for
  // settings that only show their fault when used (keys, proxies).
  Application(const Config& config, db::Database& database, Platform platform,
              Transport transport = Transport::socket);

  http::Response handle(http::Request& request) const { return pipeline_->handle(request); }
  const http::Router& router() const noexcept { return router_; }
  domain::AuthService& auth() noexcept { return auth_; }
  const security::FieldCipher& cipher() const noexcept { return cipher_; }
  // Live subscribers to order status changes. With PostgreSQL, every process feeds its hub
  // from LISTEN on order_events_channel() (see OrderEventListener); with SQLite the
  // application feeds it itself after each commit.
  domain::OrderEventHub& order_events() noexcept { return order_hub_; }
  domain::PaymentService& payments() noexcept { return payments_; }
  // The process's counters (what GET /metrics serves).
  const observability::MetricsRegistry& metrics_registry() const noexcept { return metrics_registry_; }
  const std::string& order_events_channel() { return order_transactions_.channel(); }
  // Runs after every commit that queued email (the mail dispatcher's wake-up).
  void on_mail_committed(std::function<void()> callback) {
    account_transactions_.on_mail_committed(std::move(callback));
  }

 private:
  void add_routes();
  std::optional<Principal> authenticate(const http::Request& request);
  Principal authenticate_bearer(std::string_view token);
  clients::HttpClient& outgoing_http() noexcept { return platform_.http ? *platform_.http : http_client_; }
  void enable_cognito();

  const Config& config_;
  db::Database& database_;
  Platform platform_;
  Transport transport_;
  observability::MetricsRegistry metrics_registry_;
  std::unique_ptr<observability::EmfMetrics> emf_metrics_;  // with CLOUDWATCH_METRICS on
  observability::Metrics& metrics_;
  security::FieldCipher cipher_;
  security::PasswordHasher hasher_;
  security::JwtSigner jwt_;
  MemoryLoginThrottle login_throttle_;
  MemoryEmailThrottle email_throttle_;
  db::SqlAccountTransactions account_transactions_;
  domain::AuthService auth_;
  domain::UserAdminService user_admin_;
  db::SqlCatalogTransactions catalog_transactions_;
  domain::CategoryService categories_;
  domain::ProductService products_;
  db::SqlIdempotencyKeys idempotency_keys_;
  domain::IdempotencyService idempotency_;
  db::SqlOrderTransactions order_transactions_;
  clients::CurlHttpClient http_client_;
  clients::stripe::StripeGateway gateway_;
  db::SqlPaymentTransactions payment_transactions_;
  domain::PaymentService payments_;
  domain::OrderService orders_;
  domain::OrderEventHub order_hub_;
  domain::StreamTicketService stream_tickets_;
  // Only with COGNITO_ISSUER set; the keys are fetched on the first Cognito token.
  std::unique_ptr<clients::JwksKeySource> cognito_keys_;
  std::unique_ptr<security::CognitoTokenVerifier> cognito_verifier_;
  std::unique_ptr<domain::CognitoAuthenticator> cognito_;
  domain::HealthService health_;
  http::ClientIpResolver client_ip_;
  http::RateLimits rate_limits_;
  http::Router router_;
  std::unique_ptr<http::Pipeline> pipeline_;
};

}  // namespace mercato::app
