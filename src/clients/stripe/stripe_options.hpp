#pragma once
// How Mercato reaches Stripe: where, with which key, and how patiently.

#include <chrono>
#include <string>
#include <vector>

namespace mercato::clients::stripe {

struct StripeOptions {
  std::string api_base = "https://api.stripe.com";  // STRIPE_API_BASE: the emulator in development
  std::string secret_key;                           // sk_test_... / sk_live_... / rk_...
  std::vector<std::string> webhook_secrets;         // whsec_..., current first; several during a rotation
  std::string api_version = "2024-06-20";           // sent as Stripe-Version: answers keep their shape
  std::chrono::milliseconds connect_timeout{5'000};
  std::chrono::milliseconds call_timeout{30'000};  // one attempt, connection included
  int max_attempts = 3;                            // first try included
  std::chrono::milliseconds first_backoff{500};    // doubled each retry, with jitter, capped at 8 s
};

}  // namespace mercato::clients::stripe
