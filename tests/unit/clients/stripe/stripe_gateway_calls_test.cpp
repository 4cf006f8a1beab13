#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "stripe_fakes.hpp"

using namespace mercato;
using namespace mercato::testing;
using Kind = domain::GatewayError::Kind;

namespace {

// Modelled on https://docs.stripe.com/api/payment_intents/object.
const std::string intent_json = R"({
  "id": "pi_3MtwBwLkdIwHu7ix28a3tqPa",
  "object": "payment_intent",
  "amount": 2000,
  "amount_received": 0,
  "automatic_payment_methods": {"enabled": true},
  "client_secret": "pi_3MtwBwLkdIwHu7ix28a3tqPa_secret_YrKJUKribcBjcG8HVhfZluoGH",
  "currency": "usd",
  "latest_charge": null,
  "last_payment_error": null,
  "livemode": false,
  "metadata": {"order_id": "0190a1b2-order", "payment_id": "0190a1b2-payment"},
  "status": "requires_payment_method"
})";

const std::string refund_json = R"({
  "id": "re_1Nispe2eZvKYlo2Cd31jOCgZ",
  "object": "refund",
  "amount": 1000,
  "charge": "ch_1NirD82eZvKYlo2CIvbtLWuY",
  "currency": "usd",
  "failure_reason": null,
  "metadata": {"refund_id": "0190-refund", "payment_id": "0190-payment"},
  "payment_intent": "pi_1GszsK2eZvKYlo2CfhZyoZLp",
  "status": "succeeded"
})";

domain::IntentRequest intent_request() {
  return {"0190a1b2-payment", "0190a1b2-order", 2000, "usd", "payment-0190a1b2-create"};
}

void expect_common_headers(const clients::HttpCall& call) {
  EXPECT_EQ(header_of(call, "Authorization"), "Bearer " + std::string(test_secret_key));
  EXPECT_EQ(header_of(call, "Stripe-Version"), "2024-06-20");
  EXPECT_EQ(header_of(call, "User-Agent"), std::string("Mercato/") + MERCATO_VERSION);
  EXPECT_EQ(header_of(call, "Accept"), "application/json");
  EXPECT_EQ(call.connect_timeout, std::chrono::milliseconds{5000});
  EXPECT_EQ(call.total_timeout, std::chrono::milliseconds{30000});
}

void expect_get(const clients::HttpCall& call, const std::string& url) {
  EXPECT_EQ(call.method, "GET");
  EXPECT_EQ(call.url, url);
  expect_common_headers(call);
  EXPECT_EQ(header_of(call, "Idempotency-Key"), std::nullopt);
  EXPECT_EQ(header_of(call, "Content-Type"), std::nullopt);
  EXPECT_EQ(call.body, "");
}

void expect_post(const clients::HttpCall& call, const std::string& url, const std::string& key,
                 const std::string& body) {
  EXPECT_EQ(call.method, "POST");
  EXPECT_EQ(call.url, url);
  expect_common_headers(call);
  EXPECT_EQ(header_of(call, "Idempotency-Key"), key);
  EXPECT_EQ(header_of(call, "Content-Type"), "application/x-www-form-urlencoded");
  EXPECT_EQ(call.body, body);
}

}  // namespace

TEST(StripeGatewayCalls, CreateIntentPostsTheOrderAmountWithItsKey) {
  GatewayRig rig;
  rig.http.reply(200, intent_json, {{"Request-Id", "req_abc123"}});
  auto intent = rig.gateway.create_intent(intent_request());

  ASSERT_EQ(rig.http.calls.size(), 1u);
  expect_post(rig.http.calls[0], "https://stripe.test/v1/payment_intents", "payment-0190a1b2-create",
              "amount=2000&currency=usd&metadata%5Border_id%5D=0190a1b2-order&metadata%5Bpayment_id%5D="
              "0190a1b2-payment&automatic_payment_methods%5Benabled%5D=true");
  EXPECT_EQ(intent.id, "pi_3MtwBwLkdIwHu7ix28a3tqPa");
  EXPECT_EQ(intent.client_secret, "pi_3MtwBwLkdIwHu7ix28a3tqPa_secret_YrKJUKribcBjcG8HVhfZluoGH");
  EXPECT_EQ(intent.status, "requires_payment_method");
  EXPECT_EQ(intent.amount, 2000);
  EXPECT_EQ(intent.currency, "usd");
  EXPECT_EQ(intent.latest_charge, std::nullopt);
  EXPECT_EQ(rig.gateway.name(), "stripe");
}

TEST(StripeGatewayCalls, RetrieveIntentReadsLatestChargeAsStringOrExpandedObject) {
  GatewayRig rig;
  rig.http.reply(200, replaced(intent_json, R"("latest_charge": null)", R"("latest_charge": "ch_3MtwBw")"));
  rig.http.reply(200, replaced(intent_json, R"("latest_charge": null)",
                               R"("latest_charge": {"id": "ch_3Expanded", "object": "charge", "amount": 2000})"));

  EXPECT_EQ(rig.gateway.retrieve_intent("pi_3MtwBwLkdIwHu7ix28a3tqPa").latest_charge, "ch_3MtwBw");
  EXPECT_EQ(rig.gateway.retrieve_intent("pi_3MtwBwLkdIwHu7ix28a3tqPa").latest_charge, "ch_3Expanded");
  ASSERT_EQ(rig.http.calls.size(), 2u);
  expect_get(rig.http.calls[0], "https://stripe.test/v1/payment_intents/pi_3MtwBwLkdIwHu7ix28a3tqPa");
}

TEST(StripeGatewayCalls, CancelIntentPostsTheReason) {
  GatewayRig rig;
  rig.http.reply(200, replaced(intent_json, "requires_payment_method", "canceled"));
  rig.gateway.cancel_intent("pi_3MtwBwLkdIwHu7ix28a3tqPa", "cancel-0190a1b2");
  ASSERT_EQ(rig.http.calls.size(), 1u);
  expect_post(rig.http.calls[0], "https://stripe.test/v1/payment_intents/pi_3MtwBwLkdIwHu7ix28a3tqPa/cancel",
              "cancel-0190a1b2", "cancellation_reason=abandoned");
}

TEST(StripeGatewayCalls, CreateRefundPostsTheIntentAmountAndOurIds) {
  GatewayRig rig;
  rig.http.reply(200, refund_json);
  auto refund = rig.gateway.create_refund(
      {"0190-refund", "0190-payment", "pi_1GszsK2eZvKYlo2CfhZyoZLp", 1000, "refund-0190-refund"});
  ASSERT_EQ(rig.http.calls.size(), 1u);
  expect_post(rig.http.calls[0], "https://stripe.test/v1/refunds", "refund-0190-refund",
              "payment_intent=pi_1GszsK2eZvKYlo2CfhZyoZLp&amount=1000&metadata%5Brefund_id%5D=0190-refund&"
              "metadata%5Bpayment_id%5D=0190-payment");
  EXPECT_EQ(refund.id, "re_1Nispe2eZvKYlo2Cd31jOCgZ");
  EXPECT_EQ(refund.status, "succeeded");
  EXPECT_EQ(refund.amount, 1000);
  EXPECT_EQ(refund.failure_reason, std::nullopt);
}

TEST(StripeGatewayCalls, RetrieveRefundReadsAFailure) {
  GatewayRig rig;
  auto failed = replaced(refund_json, R"("failure_reason": null)", R"("failure_reason": "expired_or_canceled_card")");
  rig.http.reply(200, replaced(failed, "succeeded", "failed"));
  auto refund = rig.gateway.retrieve_refund("re_1Nispe2eZvKYlo2Cd31jOCgZ");
  ASSERT_EQ(rig.http.calls.size(), 1u);
  expect_get(rig.http.calls[0], "https://stripe.test/v1/refunds/re_1Nispe2eZvKYlo2Cd31jOCgZ");
  EXPECT_EQ(refund.status, "failed");
  EXPECT_EQ(refund.failure_reason, "expired_or_canceled_card");
}

TEST(StripeGatewayCalls, ToleratesATrailingSlashAndSendsTheConfiguredVersionAndTimeouts) {
  auto options = GatewayRig::default_options();
  options.api_base = "http://127.0.0.1:12111/";
  options.api_version = "2025-01-27.acacia";
  options.connect_timeout = std::chrono::milliseconds{250};
  options.call_timeout = std::chrono::milliseconds{1500};
  GatewayRig rig(options);
  rig.http.reply(200, refund_json);
  rig.gateway.retrieve_refund("re_1");
  ASSERT_EQ(rig.http.calls.size(), 1u);
  EXPECT_EQ(rig.http.calls[0].url, "http://127.0.0.1:12111/v1/refunds/re_1");
  EXPECT_EQ(header_of(rig.http.calls[0], "Stripe-Version"), "2025-01-27.acacia");
  EXPECT_EQ(rig.http.calls[0].connect_timeout, std::chrono::milliseconds{250});
  EXPECT_EQ(rig.http.calls[0].total_timeout, std::chrono::milliseconds{1500});
}

TEST(StripeGatewayCalls, RefusesABadIdWithoutACall) {
  GatewayRig rig;
  const std::vector<std::string> bad_ids{"",     "pi_1/../../v1/refunds", "pi_1?expand[]=customer", "pi 1", "pi_1%2F",
                                         "pi-1", "pi_\xc3\xa9",           std::string(256, 'a')};
  for (const auto& bad : bad_ids) {
    try {
      rig.gateway.retrieve_intent(bad);
      ADD_FAILURE() << "accepted " << bad;
    } catch (const domain::GatewayError& e) {
      EXPECT_EQ(e.kind(), Kind::invalid_request) << bad;
      EXPECT_FALSE(e.retryable());
    }
    EXPECT_THROW(rig.gateway.retrieve_refund(bad), domain::GatewayError);
    EXPECT_THROW(rig.gateway.cancel_intent(bad, "key-1"), domain::GatewayError);
  }
  EXPECT_TRUE(rig.http.calls.empty());
  rig.http.reply(200, refund_json);
  EXPECT_NO_THROW(rig.gateway.retrieve_refund(std::string(255, 'a')));
}

TEST(StripeGatewayCalls, RefusesAMissingOrUnsafeIdempotencyKeyWithoutACall) {
  GatewayRig rig;
  auto request = intent_request();
  for (const std::string& bad :
       std::vector<std::string>{"", "key\r\nX-Injected: 1", "key with space", std::string(256, 'k')}) {
    request.idempotency_key = bad;
    EXPECT_THROW(rig.gateway.create_intent(request), domain::GatewayError) << bad;
  }
  EXPECT_THROW(rig.gateway.cancel_intent("pi_1", ""), domain::GatewayError);
  EXPECT_TRUE(rig.http.calls.empty());
}

TEST(StripeGatewayCalls, AnUnreadableSuccessIsUnavailable) {
  GatewayRig rig;
  rig.http.reply(200, "<html>ok</html>");
  rig.http.reply(200, R"({"id": "pi_1", "object": "payment_intent"})");
  for (int i = 0; i < 2; ++i) {
    try {
      rig.gateway.retrieve_intent("pi_1");
      ADD_FAILURE() << "accepted an unreadable answer";
    } catch (const domain::GatewayError& e) {
      EXPECT_EQ(e.kind(), Kind::unavailable);
    }
  }
}

TEST(StripeGatewayCalls, RefusesUnusableOptionsAtConstruction) {
  auto expect_refused = [](auto change) {
    auto options = GatewayRig::default_options();
    change(options);
    EXPECT_THROW(GatewayRig{options}, std::invalid_argument);
  };
  expect_refused([](auto& o) { o.secret_key.clear(); });
  expect_refused([](auto& o) { o.secret_key = "sk_test_1\r\nX: y"; });
  expect_refused([](auto& o) { o.api_base = "ftp://stripe.test"; });
  expect_refused([](auto& o) { o.max_attempts = 0; });
  expect_refused([](auto& o) { o.call_timeout = std::chrono::milliseconds{0}; });
}

TEST(StripeGatewayCalls, LogsOneLinePerAttemptWithoutSecretsOrBodies) {
  GatewayRig rig;
  rig.http.fail();
  rig.http.reply(200, intent_json, {{"Request-Id", "req_abc123"}});
  rig.gateway.create_intent(intent_request());

  auto log = rig.log_output();
  EXPECT_EQ(log.find(test_secret_key), std::string::npos);
  EXPECT_EQ(log.find("Bearer"), std::string::npos);
  EXPECT_EQ(log.find("_secret_"), std::string::npos) << "the client secret is in the body";
  EXPECT_EQ(log.find("metadata"), std::string::npos) << "no request body";

  std::istringstream lines(log);
  std::string first, second, extra;
  ASSERT_TRUE(std::getline(lines, first));
  ASSERT_TRUE(std::getline(lines, second));
  EXPECT_FALSE(std::getline(lines, extra));
  for (const auto& field : {R"("event":"stripe_call")", R"("method":"POST")", R"("path":"/v1/payment_intents")",
                            R"("attempt":1)", R"("error":"http: Timeout was reached")",
                            R"("idempotency_key":"payment-0190a1b2-create")", R"("duration_ms":0)"})
    EXPECT_NE(first.find(field), std::string::npos) << field << " in " << first;
  for (const auto& field : {R"("attempt":2)", R"("status":200)", R"("request_id":"req_abc123")",
                            R"("idempotency_key":"payment-0190a1b2-create")"})
    EXPECT_NE(second.find(field), std::string::npos) << field << " in " << second;
}
