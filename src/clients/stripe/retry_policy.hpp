#pragma once
// When a Stripe call is worth repeating with the same Idempotency-Key, and how long to
// wait first (https://docs.stripe.com/error-low-level).

#include <chrono>

#include "clients/http_client.hpp"
#include "security/random.hpp"

namespace mercato::clients::stripe {

inline constexpr std::chrono::milliseconds max_backoff{8'000};

// For a non-2xx answer. Stripe's own "Stripe-Should-Retry: true|false" wins; without it:
// 429, 5xx, and a 409 whose code says the conflict is passing (lock_timeout, or
// idempotency_key_in_use: another request with the key is still running, and Stripe
// saves no result for the one refused, so the same key is safe to send again).
bool worth_retrying(const HttpReply& reply);

// The wait before retry number `retry` (1 for the second attempt): first * 2^(retry-1),
// capped at max_backoff, then drawn uniformly from its upper half so that clients that
// failed together do not come back together.
std::chrono::milliseconds backoff_delay(int retry, std::chrono::milliseconds first, security::RandomSource& random);

}  // namespace mercato::clients::stripe
