#pragma once
// Stripe's webhook signature (https://docs.stripe.com/webhooks#verify-manually):
//   Stripe-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>[,v1=...]
// The secret is the whole "whsec_..." string, used as the key's bytes. Several v1 values
// appear while Stripe rolls a secret; we accept several secrets for our own rotations.

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mercato::clients::stripe {

inline constexpr std::chrono::seconds webhook_tolerance{300};

enum class SignatureCheck {
  valid,
  missing,         // no header
  malformed,       // no single integer t=, or no v1=
  stale,           // t is more than the tolerance away from now, either way
  no_match,        // no v1 value matches any secret
};

std::string_view to_string(SignatureCheck check) noexcept;

// The header value Stripe would send for `payload` at `timestamp`.
std::string sign_webhook(std::string_view secret, std::int64_t timestamp, std::string_view payload);

// Checks the raw body against the header before anything parses it. Every v1 value is
// compared with every secret in constant time.
SignatureCheck verify_webhook(std::string_view header, std::string_view payload,
                              const std::vector<std::string>& secrets, std::chrono::system_clock::time_point now,
                              std::chrono::seconds tolerance = webhook_tolerance);

}  // namespace mercato::clients::stripe
