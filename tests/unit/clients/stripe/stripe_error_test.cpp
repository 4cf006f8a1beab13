#include <gtest/gtest.h>

#include <string>

#include "clients/stripe/stripe_error.hpp"
#include "stripe_fakes.hpp"

using namespace mercato;
using namespace mercato::testing;
using mercato::clients::HttpReply;
using mercato::clients::stripe::error_from_reply;
using mercato::clients::stripe::scrub_for_log;
using Kind = domain::GatewayError::Kind;

namespace {

domain::GatewayError intent_error(long status, const std::string& body) {
  GatewayRig rig;
  rig.http.reply(status, body, {{"Stripe-Should-Retry", "false"}});
  try {
    rig.gateway.create_intent({"0190-payment", "0190-order", 2000, "usd", "key-1"});
  } catch (const domain::GatewayError& e) {
    EXPECT_EQ(rig.log_output().find(test_secret_key), std::string::npos);
    return e;
  }
  throw std::logic_error("the call succeeded");
}

}  // namespace

TEST(StripeErrors, ACardErrorIsADeclineNamedByItsDeclineCode) {
  auto error = intent_error(402, R"({"error": {
    "type": "card_error", "code": "card_declined", "decline_code": "insufficient_funds",
    "message": "Your card has insufficient funds.", "param": "",
    "doc_url": "https://stripe.com/docs/error-codes/card-declined"}})");
  EXPECT_EQ(error.kind(), Kind::card_declined);
  EXPECT_EQ(error.code(), "insufficient_funds");
  EXPECT_FALSE(error.retryable());
  EXPECT_NE(std::string(error.what()).find("Your card has insufficient funds."), std::string::npos);
}

TEST(StripeErrors, ACardErrorWithoutDeclineCodeKeepsItsCode) {
  auto error = intent_error(402, R"({"error": {"type": "card_error", "code": "expired_card",
    "message": "Your card has expired.", "param": "exp_month"}})");
  EXPECT_EQ(error.kind(), Kind::card_declined);
  EXPECT_EQ(error.code(), "expired_card");
}

TEST(StripeErrors, AnInvalidRequestKeepsItsCode) {
  auto error = intent_error(400, R"({"error": {"type": "invalid_request_error", "code": "parameter_invalid_integer",
    "message": "Invalid integer: 12.5", "param": "amount"}})");
  EXPECT_EQ(error.kind(), Kind::invalid_request);
  EXPECT_EQ(error.code(), "parameter_invalid_integer");
  EXPECT_NE(std::string(error.what()).find("param=amount"), std::string::npos);

  auto missing = intent_error(404, R"({"error": {"type": "invalid_request_error", "code": "resource_missing",
    "message": "No such payment_intent: 'pi_404'", "param": "intent"}})");
  EXPECT_EQ(missing.kind(), Kind::invalid_request);
  EXPECT_EQ(missing.code(), "resource_missing");

  auto idempotency = intent_error(400, R"({"error": {"type": "idempotency_error", "message": "Keys ..."}})");
  EXPECT_EQ(idempotency.kind(), Kind::invalid_request);
}

TEST(StripeErrors, ARefusedKeyIsAuthenticationAndItsTextStaysOutOfTheMessage) {
  auto error = intent_error(401, R"({"error": {"type": "invalid_request_error",
    "message": "Invalid API Key provided: )" +
                                     std::string(test_secret_key) + R"("}})");
  EXPECT_EQ(error.kind(), Kind::authentication);
  EXPECT_EQ(std::string(error.what()).find(test_secret_key), std::string::npos);
  EXPECT_NE(std::string(error.what()).find("Invalid API Key provided: [redacted]"), std::string::npos);

  EXPECT_EQ(intent_error(403, R"({"error": {"type": "invalid_request_error", "message": "restricted key"}})").kind(),
            Kind::authentication);
  EXPECT_EQ(intent_error(400, R"({"error": {"type": "authentication_error"}})").kind(), Kind::authentication);
  EXPECT_EQ(intent_error(401, "Unauthorized").kind(), Kind::authentication);
}

TEST(StripeErrors, AnApiErrorIsUnavailable) {
  auto error = intent_error(500, R"({"error": {"type": "api_error", "code": "", "message": "Oops."}})");
  EXPECT_EQ(error.kind(), Kind::unavailable);
  EXPECT_TRUE(error.retryable());
}

TEST(StripeErrors, ABodyThatIsNotStripesIsUnavailableFor5xxElseInvalid) {
  {
    GatewayRig rig;  // retried, as any 5xx is
    for (int i = 0; i < 3; ++i) rig.http.reply(502, "<html><body>502 Bad Gateway</body></html>");
    try {
      rig.gateway.retrieve_intent("pi_1");
      ADD_FAILURE();
    } catch (const domain::GatewayError& e) {
      EXPECT_EQ(e.kind(), Kind::unavailable);
      EXPECT_EQ(e.code(), "");
      EXPECT_EQ(std::string(e.what()).find("html"), std::string::npos) << "no foreign body in the log";
    }
    EXPECT_EQ(rig.http.calls.size(), 3u);
  }
  EXPECT_EQ(intent_error(502, "<html>Bad Gateway</html>").kind(), Kind::unavailable);
  EXPECT_EQ(intent_error(400, "not json").kind(), Kind::invalid_request);
  EXPECT_EQ(intent_error(400, R"({"error": "a string"})").kind(), Kind::invalid_request);
  EXPECT_EQ(intent_error(400, R"([1, 2])").kind(), Kind::invalid_request);
}

TEST(StripeErrors, MessagesNeverCarryAClientSecretOrAKey) {
  HttpReply reply{400, {}, R"({"error": {"type": "invalid_request_error", "code": "payment_intent_unexpected_state",
    "message": "You cannot confirm pi_3Mtw_secret_YrKJUKri with sk_live_other or rk_live_x or whsec_y."}})"};
  auto error = error_from_reply(reply, false, "sk_test_mine");
  std::string what = error.what();
  for (auto secret : {"_secret_", "sk_live_other", "rk_live_x", "whsec_y"})
    EXPECT_EQ(what.find(secret), std::string::npos) << secret << " in " << what;
  EXPECT_NE(what.find("You cannot confirm [redacted] with [redacted]"), std::string::npos) << what;
  EXPECT_EQ(error.code(), "payment_intent_unexpected_state");
}

TEST(StripeErrors, ScrubFindsTheKeyInsideAWordAndCapsTheLength) {
  EXPECT_EQ(scrub_for_log("key=xsk_test_mine.", "sk_test_mine"), "key=x[redacted].");
  auto long_text = std::string(299, 'a') + "\xc3\xa9" + std::string(100, 'b');
  auto scrubbed = scrub_for_log(long_text, "k");
  EXPECT_EQ(scrubbed, std::string(299, 'a') + "...") << "cut before the two-byte character";
}
