#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "clients/stripe/webhook_signature.hpp"

using namespace mercato::clients::stripe;
using namespace std::chrono_literals;

namespace {

// 2026-11-25T00:00:00Z, the FixedClock's default.
constexpr std::int64_t now_seconds = 1795564800;
const std::chrono::system_clock::time_point now{std::chrono::seconds{now_seconds}};
const std::string secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const std::string payload = R"({"id":"evt_1QfixedVector","object":"event","type":"payment_intent.succeeded"})";

SignatureCheck check(const std::string& header, const std::vector<std::string>& secrets = {secret},
                     const std::string& body = payload) {
  return verify_webhook(header, body, secrets, now);
}

}  // namespace

// Computed independently, outside this code base:
//   /usr/bin/python3 -c 'import hmac,hashlib; print(hmac.new(b"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
//     b"1795564800." + PAYLOAD, hashlib.sha256).hexdigest())'
TEST(WebhookSignature, MatchesAnIndependentlyComputedVector) {
  const std::string expected = "t=1795564800,v1=b818c14b4937e628f0dc2c95faca5874f56e90300fa80e740e9b0ac862106670";
  EXPECT_EQ(sign_webhook(secret, now_seconds, payload), expected);
  EXPECT_EQ(check(expected), SignatureCheck::valid);
}

TEST(WebhookSignature, AcceptsWhatSignWebhookProduces) {
  EXPECT_EQ(check(sign_webhook(secret, now_seconds, payload)), SignatureCheck::valid);
}

TEST(WebhookSignature, RefusesATamperedBody) {
  auto header = sign_webhook(secret, now_seconds, payload);
  auto tampered = payload;
  tampered.replace(tampered.find("succeeded"), 9, "canceled!");
  EXPECT_EQ(check(header, {secret}, tampered), SignatureCheck::no_match);
  EXPECT_EQ(check(header, {secret}, payload + " "), SignatureCheck::no_match);
}

TEST(WebhookSignature, RefusesAnotherSecret) {
  EXPECT_EQ(check(sign_webhook("whsec_someone_else", now_seconds, payload)), SignatureCheck::no_match);
}

TEST(WebhookSignature, RefusesTimestampsBeyondTheToleranceEitherWay) {
  EXPECT_EQ(check(sign_webhook(secret, now_seconds - 301, payload)), SignatureCheck::stale);
  EXPECT_EQ(check(sign_webhook(secret, now_seconds + 301, payload)), SignatureCheck::stale);
}

TEST(WebhookSignature, AcceptsTimestampsWithinTheToleranceEitherWay) {
  EXPECT_EQ(check(sign_webhook(secret, now_seconds - 299, payload)), SignatureCheck::valid);
  EXPECT_EQ(check(sign_webhook(secret, now_seconds + 299, payload)), SignatureCheck::valid);
  EXPECT_EQ(check(sign_webhook(secret, now_seconds - 300, payload)), SignatureCheck::valid);
}

TEST(WebhookSignature, AcceptsOneValidAmongSeveralV1Values) {
  auto valid = sign_webhook(secret, now_seconds, payload);
  auto signature = valid.substr(valid.find("v1=") + 3);
  auto header = "t=" + std::to_string(now_seconds) + ",v1=" + std::string(64, '0') + ",v1=" + signature +
                ",v0=" + std::string(64, 'a');
  EXPECT_EQ(check(header), SignatureCheck::valid);
  auto none = "t=" + std::to_string(now_seconds) + ",v1=" + std::string(64, '0') + ",v1=" + std::string(64, 'f');
  EXPECT_EQ(check(none), SignatureCheck::no_match);
}

TEST(WebhookSignature, AcceptsTheSecondSecretDuringARotation) {
  auto header = sign_webhook("whsec_previous", now_seconds, payload);
  EXPECT_EQ(check(header, {secret, "whsec_previous"}), SignatureCheck::valid);
  EXPECT_EQ(check(header, {secret}), SignatureCheck::no_match);
}

TEST(WebhookSignature, AnEmptySecretMatchesNothing) {
  EXPECT_EQ(check(sign_webhook("", now_seconds, payload), {""}), SignatureCheck::no_match);
  EXPECT_EQ(check(sign_webhook(secret, now_seconds, payload), {}), SignatureCheck::no_match);
}

TEST(WebhookSignature, ReportsAMissingHeader) { EXPECT_EQ(check(""), SignatureCheck::missing); }

TEST(WebhookSignature, RefusesMalformedHeaders) {
  auto v1 = sign_webhook(secret, now_seconds, payload).substr(std::string("t=1795564800,").size());
  auto t = "t=" + std::to_string(now_seconds);
  EXPECT_EQ(check(v1), SignatureCheck::malformed) << "no t";
  EXPECT_EQ(check(t + "," + t + "," + v1), SignatureCheck::malformed) << "two t";
  EXPECT_EQ(check("t=12ab," + v1), SignatureCheck::malformed) << "non-numeric t";
  EXPECT_EQ(check("t=," + v1), SignatureCheck::malformed) << "empty t";
  EXPECT_EQ(check("t=-5," + v1), SignatureCheck::malformed) << "negative t";
  EXPECT_EQ(check(t), SignatureCheck::malformed) << "no v1";
  EXPECT_EQ(check(t + ",v0=abc"), SignatureCheck::malformed) << "only v0";
  EXPECT_EQ(check("garbage"), SignatureCheck::malformed);
  EXPECT_EQ(check(",,,"), SignatureCheck::malformed);
  EXPECT_EQ(check(t + ";" + v1), SignatureCheck::malformed) << "wrong separator";
}

TEST(WebhookSignature, NamesEachOutcome) {
  EXPECT_EQ(to_string(SignatureCheck::valid), "valid");
  EXPECT_EQ(to_string(SignatureCheck::missing), "missing");
  EXPECT_EQ(to_string(SignatureCheck::malformed), "malformed");
  EXPECT_EQ(to_string(SignatureCheck::stale), "stale");
  EXPECT_EQ(to_string(SignatureCheck::no_match), "no_match");
}
