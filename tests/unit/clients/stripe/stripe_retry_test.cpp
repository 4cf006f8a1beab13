#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "clients/stripe/retry_policy.hpp"
#include "stripe_fakes.hpp"

using namespace mercato;
using namespace mercato::testing;
using namespace std::chrono_literals;
using Kind = domain::GatewayError::Kind;

namespace {

const std::string refund_json =
    R"({"id": "re_1", "object": "refund", "amount": 500, "status": "pending", "failure_reason": null})";
const std::string api_error = R"({"error": {"type": "api_error", "message": "Something went wrong on Stripe's end."}})";
const std::string rate_error = R"({"error": {"type": "invalid_request_error", "code": "rate_limit",
  "message": "Too many requests hit the API too quickly."}})";

domain::RefundRequest refund_request() { return {"0190-refund", "0190-payment", "pi_1", 500, "refund-key-1"}; }

domain::GatewayError refund_error(GatewayRig& rig) {
  try {
    rig.gateway.create_refund(refund_request());
  } catch (const domain::GatewayError& e) {
    return e;
  }
  throw std::logic_error("the call succeeded");
}

}  // namespace

TEST(StripeRetry, RepeatsATransportErrorWithTheSameKeyAfterABackoff) {
  GatewayRig rig;
  rig.http.fail("http: Couldn't connect to server");
  rig.http.reply(200, refund_json);
  auto refund = rig.gateway.create_refund(refund_request());
  EXPECT_EQ(refund.id, "re_1");
  ASSERT_EQ(rig.http.calls.size(), 2u);
  EXPECT_EQ(header_of(rig.http.calls[0], "Idempotency-Key"), "refund-key-1");
  EXPECT_EQ(header_of(rig.http.calls[1], "Idempotency-Key"), "refund-key-1");
  EXPECT_EQ(rig.http.calls[0].body, rig.http.calls[1].body);
  EXPECT_EQ(rig.sleeps, (std::vector{250ms}));  // half of the first 500 ms with zero jitter
}

TEST(StripeRetry, GivesUpOnThreeServerErrorsAsUnavailable) {
  GatewayRig rig;
  for (int i = 0; i < 3; ++i) rig.http.reply(500, api_error);
  auto error = refund_error(rig);
  EXPECT_EQ(error.kind(), Kind::unavailable);
  EXPECT_TRUE(error.retryable());
  EXPECT_EQ(rig.http.calls.size(), 3u);
  EXPECT_EQ(rig.sleeps, (std::vector{250ms, 500ms}));
}

TEST(StripeRetry, GivesUpOnTransportErrorsAsUnavailable) {
  GatewayRig rig;
  for (int i = 0; i < 3; ++i) rig.http.fail();
  auto error = refund_error(rig);
  EXPECT_EQ(error.kind(), Kind::unavailable);
  EXPECT_NE(std::string(error.what()).find("Timeout was reached"), std::string::npos);
  EXPECT_EQ(rig.http.calls.size(), 3u);
}

TEST(StripeRetry, GivesUpOnRateLimitsAsRateLimited) {
  GatewayRig rig;
  for (int i = 0; i < 3; ++i) rig.http.reply(429, rate_error);
  auto error = refund_error(rig);
  EXPECT_EQ(error.kind(), Kind::rate_limited);
  EXPECT_EQ(error.code(), "rate_limit");
  EXPECT_TRUE(error.retryable());
  EXPECT_EQ(rig.http.calls.size(), 3u);
}

TEST(StripeRetry, ARateLimitThatPassesSucceeds) {
  GatewayRig rig;
  rig.http.reply(429, rate_error);
  rig.http.reply(200, refund_json);
  EXPECT_EQ(rig.gateway.create_refund(refund_request()).status, "pending");
  EXPECT_EQ(rig.http.calls.size(), 2u);
}

TEST(StripeRetry, DoesNotRepeatARefusal) {
  for (long status : {400L, 402L, 404L}) {
    GatewayRig rig;
    rig.http.reply(status, R"({"error": {"type": "card_error", "code": "card_declined", "message": "Declined."}})");
    EXPECT_THROW(rig.gateway.create_refund(refund_request()), domain::GatewayError);
    EXPECT_EQ(rig.http.calls.size(), 1u) << status;
    EXPECT_TRUE(rig.sleeps.empty());
  }
}

TEST(StripeRetry, StripeShouldRetryFalseStopsAServerError) {
  GatewayRig rig;
  rig.http.reply(503, api_error, {{"stripe-should-retry", "false"}});
  auto error = refund_error(rig);
  EXPECT_EQ(error.kind(), Kind::unavailable);
  EXPECT_EQ(rig.http.calls.size(), 1u);
}

TEST(StripeRetry, StripeShouldRetryTrueRepeatsEvenARefusal) {
  GatewayRig rig;
  rig.http.reply(400, R"({"error": {"type": "invalid_request_error", "message": "Try again."}})",
                 {{"Stripe-Should-Retry", "true"}});
  rig.http.reply(200, refund_json);
  EXPECT_EQ(rig.gateway.create_refund(refund_request()).id, "re_1");
  EXPECT_EQ(rig.http.calls.size(), 2u);
}

TEST(StripeRetry, StripeShouldRetryTrueToTheEndIsUnavailable) {
  GatewayRig rig;
  for (int i = 0; i < 3; ++i)
    rig.http.reply(400, R"({"error": {"type": "invalid_request_error", "code": "x"}})",
                   {{"Stripe-Should-Retry", "true"}});
  EXPECT_EQ(refund_error(rig).kind(), Kind::unavailable);
  EXPECT_EQ(rig.http.calls.size(), 3u);
}

TEST(StripeRetry, RepeatsAConflictOnlyWhenItPasses) {
  {
    GatewayRig rig;
    rig.http.reply(409, R"({"error": {"type": "invalid_request_error", "code": "lock_timeout"}})");
    rig.http.reply(409, R"({"error": {"type": "invalid_request_error", "code": "idempotency_key_in_use"}})");
    rig.http.reply(200, refund_json);
    EXPECT_EQ(rig.gateway.create_refund(refund_request()).id, "re_1");
    EXPECT_EQ(rig.http.calls.size(), 3u);
  }
  {
    // Same key, other parameters: repeating cannot help.
    GatewayRig rig;
    rig.http.reply(409, R"({"error": {"type": "idempotency_error", "message": "Keys for idempotent requests
 can only be used with the same parameters they were first used with."}})");
    auto error = refund_error(rig);
    EXPECT_EQ(error.kind(), Kind::invalid_request);
    EXPECT_EQ(rig.http.calls.size(), 1u);
  }
}

TEST(StripeRetry, OneAttemptMeansNoRetry) {
  auto options = GatewayRig::default_options();
  options.max_attempts = 1;
  GatewayRig rig(options);
  rig.http.reply(500, api_error);
  EXPECT_EQ(refund_error(rig).kind(), Kind::unavailable);
  EXPECT_EQ(rig.http.calls.size(), 1u);
  EXPECT_TRUE(rig.sleeps.empty());
}

TEST(StripeRetry, BackoffDoublesWithJitterAndStopsAtEightSeconds) {
  using mercato::clients::stripe::backoff_delay;
  FixedRandom low(0x00), high(0xff);
  EXPECT_EQ(backoff_delay(1, 500ms, low), 250ms);
  EXPECT_EQ(backoff_delay(2, 500ms, low), 500ms);
  EXPECT_EQ(backoff_delay(3, 500ms, low), 1000ms);
  EXPECT_EQ(backoff_delay(6, 500ms, low), 4000ms);  // 16 s capped at 8 s, then jittered
  EXPECT_EQ(backoff_delay(1000, 500ms, low), 4000ms);
  for (int retry = 1; retry <= 10; ++retry) {
    auto delay = backoff_delay(retry, 500ms, high);
    EXPECT_GE(delay, backoff_delay(retry, 500ms, low));
    EXPECT_LE(delay, 8000ms);
  }
  EXPECT_EQ(backoff_delay(1, 0ms, high), 0ms);
  EXPECT_EQ(backoff_delay(1, 60s, low), 4000ms);
}
