#pragma once
// Test doubles for the Stripe client: an HttpClient that records every call and plays a
// script of replies and transport failures, a sleep that only records, and fixed bytes
// for randomness.

#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <span>
#include <sstream>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

#include "clients/http_client.hpp"
#include "clients/stripe/stripe_gateway.hpp"
#include "observability/logger.hpp"
#include "security/random.hpp"
#include "support/fixed_clock.hpp"

namespace mercato::testing {

class ScriptedHttpClient final : public clients::HttpClient {
 public:
  using Step = std::variant<clients::HttpReply, clients::HttpTransportError>;

  void reply(long status, std::string body, clients::HeaderList headers = {}) {
    script_.emplace_back(clients::HttpReply{status, std::move(headers), std::move(body)});
  }
  void fail(std::string what = "http: Timeout was reached") { script_.emplace_back(clients::HttpTransportError(what)); }

  clients::HttpReply send(const clients::HttpCall& call) override {
    calls.push_back(call);
    if (script_.empty()) throw std::logic_error("ScriptedHttpClient: no reply scripted for " + call.url);
    auto step = std::move(script_.front());
    script_.pop_front();
    if (auto* error = std::get_if<clients::HttpTransportError>(&step)) throw *error;
    return std::get<clients::HttpReply>(std::move(step));
  }

  std::vector<clients::HttpCall> calls;

 private:
  std::deque<Step> script_;
};

// Always the same byte: backoff jitter becomes predictable.
class FixedRandom final : public security::RandomSource {
 public:
  explicit FixedRandom(std::uint8_t byte = 0) : byte_(byte) {}
  void fill(std::span<std::uint8_t> out) override {
    for (auto& b : out) b = byte_;
  }

 private:
  std::uint8_t byte_;
};

// The first header of that name in a recorded call, compared without regard to case.
inline std::optional<std::string> header_of(const clients::HttpCall& call, std::string_view name) {
  clients::HttpReply as_reply{0, call.headers, {}};
  return as_reply.header(name);
}

// `text` with the first `from` replaced; fails the test when there is none.
inline std::string replaced(std::string text, std::string_view from, std::string_view to) {
  auto at = text.find(from);
  if (at == std::string::npos) throw std::logic_error("fixture lacks " + std::string(from));
  return text.replace(at, from.size(), to);
}

inline constexpr std::string_view test_secret_key = "sk_test_51MercatoTESTkeyDoNotLog0000";
inline constexpr std::string_view test_webhook_secret = "whsec_test_current";

// A gateway wired to fakes, with the log captured.
struct GatewayRig {
  explicit GatewayRig(clients::stripe::StripeOptions options = default_options())
      : log(log_text, observability::LogLevel::debug, clock),
        gateway(std::move(options), http, clock, random, log,
                [this](std::chrono::milliseconds d) { sleeps.push_back(d); }) {}

  static clients::stripe::StripeOptions default_options() {
    clients::stripe::StripeOptions options;
    options.api_base = "https://stripe.test";
    options.secret_key = std::string(test_secret_key);
    options.webhook_secrets = {std::string(test_webhook_secret)};
    return options;
  }

  std::string log_output() const { return log_text.str(); }

  ScriptedHttpClient http;
  FixedClock clock;
  FixedRandom random;
  std::ostringstream log_text;
  observability::Logger log;
  std::vector<std::chrono::milliseconds> sleeps;
  clients::stripe::StripeGateway gateway;
};

}  // namespace mercato::testing
