#include "clients/stripe/retry_policy.hpp"

#include <algorithm>
#include <array>
#include <cstdint>

#include "clients/stripe/stripe_error.hpp"

namespace mercato::clients::stripe {

namespace {

bool passing_conflict(const HttpReply& reply) {
  auto error = parse_error_body(reply.body);
  return error && (error->code == "lock_timeout" || error->code == "idempotency_key_in_use");
}

std::uint32_t random_u32(security::RandomSource& random) {
  std::array<std::uint8_t, 4> bytes{};
  random.fill(bytes);
  return (std::uint32_t{bytes[0]} << 24) | (std::uint32_t{bytes[1]} << 16) | (std::uint32_t{bytes[2]} << 8) |
         std::uint32_t{bytes[3]};
}

}  // namespace

bool worth_retrying(const HttpReply& reply) {
  if (auto advice = reply.header("Stripe-Should-Retry")) {
    if (*advice == "true") return true;
    if (*advice == "false") return false;
  }
  if (reply.status == 429 || reply.status >= 500) return true;
  return reply.status == 409 && passing_conflict(reply);
}

std::chrono::milliseconds backoff_delay(int retry, std::chrono::milliseconds first, security::RandomSource& random) {
  auto base = std::clamp(first, std::chrono::milliseconds{0}, max_backoff);
  // Doubling stops at the cap, so no retry count can overflow.
  for (int i = 1; i < retry && base < max_backoff; ++i) base = std::min(base * 2, max_backoff);
  auto half = base.count() / 2;
  auto spread = static_cast<std::int64_t>(random_u32(random) % static_cast<std::uint32_t>(base.count() - half + 1));
  return std::chrono::milliseconds{half + spread};
}

}  // namespace mercato::clients::stripe
