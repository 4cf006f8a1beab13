// The idempotency cache alone: fingerprints, scopes and expiry.

#include <gtest/gtest.h>

#include "stripe_emulator/idempotency_cache.hpp"

using namespace mercato::stripe_emulator;
using namespace std::chrono_literals;

TEST(StripeEmulatorIdempotencyCache, FingerprintIgnoresOrderOfDifferentNames) {
  auto a = request_fingerprint("POST", "/v1/refunds", {{"amount", "1"}, {"payment_intent", "pi_1"}});
  auto b = request_fingerprint("POST", "/v1/refunds", {{"payment_intent", "pi_1"}, {"amount", "1"}});
  EXPECT_EQ(a, b);
  EXPECT_NE(a, request_fingerprint("POST", "/v1/refunds", {{"amount", "2"}, {"payment_intent", "pi_1"}}));
  EXPECT_NE(a, request_fingerprint("POST", "/v1/payment_intents", {{"amount", "1"}, {"payment_intent", "pi_1"}}));
  // Repeated names keep their order: expand[]=a&expand[]=b is not expand[]=b&expand[]=a.
  EXPECT_NE(request_fingerprint("POST", "/p", {{"e[]", "a"}, {"e[]", "b"}}),
            request_fingerprint("POST", "/p", {{"e[]", "b"}, {"e[]", "a"}}));
  // No way to shift bytes between a name and a value.
  EXPECT_NE(request_fingerprint("POST", "/p", {{"ab", "c"}}), request_fingerprint("POST", "/p", {{"a", "bc"}}));
}

TEST(StripeEmulatorIdempotencyCache, FindsReplaysAndExpiresAfterItsLifetime) {
  IdempotencyCache cache(24h);
  std::chrono::system_clock::time_point t0{std::chrono::seconds{1'800'000'000}};
  EXPECT_EQ(cache.find("scope", "k", "fp", t0).answer, nullptr);
  cache.save("scope", "k", "fp", SavedAnswer{402, "{}", "req_1"}, t0);
  auto same = cache.find("scope", "k", "fp", t0 + 1h);
  ASSERT_NE(same.answer, nullptr);
  EXPECT_TRUE(same.same_request);
  EXPECT_EQ(same.answer->status, 402);
  EXPECT_FALSE(cache.find("scope", "k", "other", t0).same_request);
  EXPECT_EQ(cache.find("other-scope", "k", "fp", t0).answer, nullptr);
  EXPECT_NE(cache.find("scope", "k", "fp", t0 + 24h - 1s).answer, nullptr);
  EXPECT_EQ(cache.find("scope", "k", "fp", t0 + 24h).answer, nullptr);
  EXPECT_EQ(cache.size(), 0u);
}
