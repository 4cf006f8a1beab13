#pragma once
// A Stripe test-mode emulator (`mercato stripe-emulator`): PaymentIntents, Refunds, Charges
// and Events over Stripe's wire format (form-encoded bodies, Bearer secret key, Stripe JSON
// and errors, Idempotency-Key), with signed webhooks delivered and retried. See
// docs/stripe-emulator.md. All state is in memory.

#include <chrono>
#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "clients/http_client.hpp"
#include "core/clock.hpp"
#include "http/request.hpp"
#include "http/response.hpp"
#include "observability/logger.hpp"
#include "security/random.hpp"
#include "stripe_emulator/delivery_thread.hpp"
#include "stripe_emulator/emulator_state.hpp"
#include "stripe_emulator/webhook_delivery.hpp"

namespace mercato::stripe_emulator {

struct EmulatorOptions {
  std::string webhook_url;     // empty: no webhooks
  std::string webhook_secret;  // whsec_...
  // The wait after each failed attempt; the event is given up after the last one.
  std::vector<std::chrono::milliseconds> retry_delays{std::chrono::seconds{1},  std::chrono::seconds{2},
                                                      std::chrono::seconds{4},  std::chrono::seconds{8},
                                                      std::chrono::seconds{16}, std::chrono::seconds{32},
                                                      std::chrono::seconds{60}};
  bool deliver_in_background = true;  // false: tests call deliver_due() themselves
};

class StripeEmulator {
 public:
  // Everything passed by reference belongs to the caller and must outlive the emulator.
  StripeEmulator(EmulatorOptions options, clients::HttpClient& webhook_client, const Clock& clock,
                 security::RandomSource& random, observability::Logger& log);
  StripeEmulator(const StripeEmulator&) = delete;
  StripeEmulator& operator=(const StripeEmulator&) = delete;
  // Stops the delivery thread.
  ~StripeEmulator();

  // Answers one API request. Thread-safe: requests are applied one at a time.
  http::Response handle(http::Request& request);
  // Starts background delivery (when the options ask for it).
  void start();
  void stop();
  // One delivery run: fails pending refundFail refunds, then attempts every event whose time
  // has come, once each. Returns how many were delivered successfully.
  std::size_t deliver_due();
  // Events not yet delivered successfully (and not given up).
  std::size_t pending_webhooks() const;

 private:
  struct Answer {
    int status = 200;
    std::string body;
    std::optional<std::string> replay_of;  // the original request's id when replayed
  };

  std::string next_request_id();
  Answer route(http::Request& request, const std::string& request_id);
  Answer run_post(http::Request& request, const std::string& api_key, const std::string& request_id);
  Answer run_read(http::Request& request, const std::string& request_id);
  // Hands new events to webhook delivery in creation order. Call with mutex_ held.
  void publish_events();
  int webhook_endpoints() const noexcept { return webhooks_.enabled() ? 1 : 0; }

  EmulatorOptions options_;
  const Clock& clock_;
  security::RandomSource& random_;
  observability::Logger& log_;
  mutable std::mutex mutex_;  // guards state_ and random_
  EmulatorState state_;
  WebhookDelivery webhooks_;
  DeliveryThread delivery_thread_;  // last: it stops before what it uses goes away
};

}  // namespace mercato::stripe_emulator
