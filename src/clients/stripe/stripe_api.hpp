#pragma once
// One Stripe API call as Stripe wants it made: authenticated, versioned, form-encoded,
// retried with the same Idempotency-Key when the failure is temporary, and logged one JSON
// line per attempt (never a body or the Authorization header: both hold secrets).

#include <boost/json/object.hpp>

#include <chrono>
#include <functional>
#include <string>
#include <string_view>

#include "clients/http_client.hpp"
#include "clients/stripe/form_encoding.hpp"
#include "clients/stripe/stripe_options.hpp"
#include "core/clock.hpp"
#include "observability/logger.hpp"
#include "security/random.hpp"

namespace mercato::clients::stripe {

using SleepFunction = std::function<void(std::chrono::milliseconds)>;

// Blocks the calling thread: the gateway runs on the worker pool, never on an I/O thread.
void thread_sleep(std::chrono::milliseconds duration);

struct ApiRequest {
  std::string method;           // GET | POST
  std::string path;             // "/v1/payment_intents/pi_123": ids already checked
  FormFields fields;            // POST only
  std::string idempotency_key;  // POST only; required there
};

class StripeApi {
 public:
  // Throws std::invalid_argument for options that could never work (fail fast at start-up).
  StripeApi(StripeOptions options, HttpClient& http, const Clock& clock, security::RandomSource& random,
            observability::Logger& log, SleepFunction sleep);

  // The JSON object of a 2xx answer. Throws domain::GatewayError for anything else.
  boost::json::object call(const ApiRequest& request);

  const StripeOptions& options() const noexcept { return options_; }

 private:
  HttpCall build(const ApiRequest& request) const;
  void log_attempt(const ApiRequest& request, int attempt, std::chrono::system_clock::time_point started,
                   const HttpReply* reply, std::string_view transport_error);
  boost::json::object read_success(const ApiRequest& request, const HttpReply& reply) const;

  StripeOptions options_;
  HttpClient& http_;
  const Clock& clock_;
  security::RandomSource& random_;
  observability::Logger& log_;
  SleepFunction sleep_;
};

}  // namespace mercato::clients::stripe
