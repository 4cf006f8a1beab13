#pragma once
// The PaymentGateway over Stripe's REST API: PaymentIntents, refunds and signed webhooks.
// Stateless after construction, so one instance serves every worker thread.

#include <chrono>
#include <string>
#include <string_view>

#include "clients/http_client.hpp"
#include "clients/stripe/stripe_api.hpp"
#include "clients/stripe/stripe_options.hpp"
#include "core/clock.hpp"
#include "domain/payments/payment_gateway.hpp"
#include "observability/logger.hpp"
#include "security/random.hpp"

namespace mercato::clients::stripe {

class StripeGateway final : public domain::PaymentGateway {
 public:
  // Throws std::invalid_argument for unusable options (see StripeApi). `sleep` waits
  // between attempts; tests pass one that only records.
  StripeGateway(StripeOptions options, HttpClient& http, const Clock& clock, security::RandomSource& random,
                observability::Logger& log, SleepFunction sleep = thread_sleep);

  std::string_view name() const noexcept override { return "stripe"; }
  domain::GatewayIntent create_intent(const domain::IntentRequest& request) override;
  domain::GatewayIntent retrieve_intent(std::string_view intent_id) override;
  void cancel_intent(std::string_view intent_id, std::string_view idempotency_key) override;
  domain::GatewayRefund create_refund(const domain::RefundRequest& request) override;
  domain::GatewayRefund retrieve_refund(std::string_view refund_id) override;
  domain::GatewayEvent read_webhook(const HeaderLookup& header, std::string_view raw_body) override;

 private:
  domain::GatewayIntent intent_from(const ApiRequest& request);
  domain::GatewayRefund refund_from(const ApiRequest& request);

  StripeApi api_;
  const Clock& clock_;
};

}  // namespace mercato::clients::stripe
