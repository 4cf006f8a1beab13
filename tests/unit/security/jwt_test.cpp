#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "security/base64.hpp"
#include "security/digest.hpp"
#include "security/jwt.hpp"
#include "support/fixed_clock.hpp"

using mercato::security::base64url_decode;
using mercato::security::base64url_encode;
using mercato::security::byte_view;
using mercato::security::hmac_sha256;
using mercato::security::JwtSigner;
using mercato::security::SystemRandom;
using namespace std::chrono_literals;

namespace {

const std::string secret = "0123456789abcdef0123456789abcdef-test-only";
const std::string header = R"({"alg":"HS256","typ":"JWT"})";

std::string b64(std::string_view text) { return base64url_encode(byte_view(text)); }

std::string decoded(std::string_view segment) {
  auto bytes = base64url_decode(segment);
  return bytes ? std::string(bytes->begin(), bytes->end()) : std::string("<invalid>");
}

// A token with any header and payload, correctly HS256-signed with `key`.
std::string forge(std::string_view header_json, std::string_view payload_json, std::string_view key = secret) {
  std::string input = b64(header_json) + "." + b64(payload_json);
  return input + "." + base64url_encode(hmac_sha256(byte_view(key), input));
}

struct JwtSignerTest : ::testing::Test {
  mercato::testing::FixedClock clock;
  SystemRandom random;
  JwtSigner signer{secret, "mercato", 900s, clock, random};

  std::int64_t now() const { return std::chrono::floor<std::chrono::seconds>(clock.now()).time_since_epoch().count(); }
  // A valid payload as JSON, with `overrides` (by default the role) as its last member.
  std::string payload(const std::string& overrides = R"("role":"customer")") const {
    return R"({"sub":"u1","sid":"s1","iat":)" + std::to_string(now()) + R"(,"exp":)" + std::to_string(now() + 900) +
           R"(,"jti":"j1","iss":"mercato","token_use":"access",)" + overrides + "}";
  }
};

}  // namespace

TEST_F(JwtSignerTest, RoundTrip) {
  auto token = signer.issue("user-1", "admin", "session-1");
  auto first_dot = token.find('.');
  EXPECT_EQ(decoded(token.substr(0, first_dot)), header);
  EXPECT_NE(decoded(token.substr(first_dot + 1, token.rfind('.') - first_dot - 1)).find(R"("token_use":"access")"),
            std::string::npos);
  auto claims = signer.verify(token);
  ASSERT_TRUE(claims);
  EXPECT_EQ(claims->subject, "user-1");
  EXPECT_EQ(claims->role, "admin");
  EXPECT_EQ(claims->session_id, "session-1");
  EXPECT_EQ(claims->issuer, "mercato");
  EXPECT_EQ(claims->issued_at, now());
  EXPECT_EQ(claims->expires_at, now() + 900);
  EXPECT_EQ(claims->token_id.size(), 32u);
  EXPECT_EQ(claims->token_id.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_NE(signer.verify(signer.issue("user-1", "admin", "session-1"))->token_id, claims->token_id);
  EXPECT_EQ(signer.lifetime(), 900s);
  EXPECT_TRUE(signer.verify(forge(header, payload())));
}

TEST_F(JwtSignerTest, ExpiresAfterLifetimePlusSkew) {
  auto token = signer.issue("u", "customer", "s");
  clock.advance(900s + 29s);
  EXPECT_TRUE(signer.verify(token));
  clock.advance(1s);
  EXPECT_FALSE(signer.verify(token));
}

TEST_F(JwtSignerTest, RejectsIssuedInTheFutureBeyondSkew) {
  mercato::testing::FixedClock ahead{clock.now() + 30s};
  JwtSigner ahead_signer{secret, "mercato", 900s, ahead, random};
  EXPECT_TRUE(signer.verify(ahead_signer.issue("u", "customer", "s")));
  ahead.advance(1s);
  EXPECT_FALSE(signer.verify(ahead_signer.issue("u", "customer", "s")));
}

TEST_F(JwtSignerTest, RejectsWrongIssuerAndOtherKey) {
  JwtSigner other_issuer{secret, "someone-else", 900s, clock, random};
  EXPECT_FALSE(signer.verify(other_issuer.issue("u", "customer", "s")));
  JwtSigner other_key{secret + "x", "mercato", 900s, clock, random};
  EXPECT_FALSE(signer.verify(other_key.issue("u", "customer", "s")));
}

TEST_F(JwtSignerTest, RejectsTamperedPayload) {
  auto token = signer.issue("user-1", "customer", "s");
  auto first = token.find('.');
  auto second = token.rfind('.');
  auto body = decoded(token.substr(first + 1, second - first - 1));
  body.replace(body.find("customer"), 8, "admin");
  EXPECT_FALSE(signer.verify(token.substr(0, first + 1) + b64(body) + token.substr(second)));
  auto flipped = token;
  flipped[second - 2] = flipped[second - 2] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(signer.verify(flipped));
}

TEST_F(JwtSignerTest, PinsTheAlgorithm) {
  EXPECT_FALSE(signer.verify(b64(R"({"alg":"none","typ":"JWT"})") + "." + b64(payload()) + "."));
  EXPECT_FALSE(signer.verify(forge(R"({"alg":"none","typ":"JWT"})", payload())));
  EXPECT_FALSE(signer.verify(forge(R"({"alg":"RS256","typ":"JWT"})", payload())));
  EXPECT_FALSE(signer.verify(forge(R"({"alg":"HS512","typ":"JWT"})", payload())));
  EXPECT_FALSE(signer.verify(forge(R"({"alg":"hs256","typ":"JWT"})", payload())));
  EXPECT_FALSE(signer.verify(forge(R"({"typ":"JWT"})", payload())));
  EXPECT_FALSE(signer.verify(forge(R"({"alg":["HS256"]})", payload())));
  EXPECT_FALSE(signer.verify(forge(R"({"alg":"HS256","typ":"JWS"})", payload())));
  EXPECT_FALSE(signer.verify(forge(R"({"alg":"HS256","crit":["exp"]})", payload())));
  EXPECT_TRUE(signer.verify(forge(R"({"typ":"JWT", "alg":"HS256"})", payload())));
  EXPECT_TRUE(signer.verify(forge(R"({"alg":"HS256"})", payload())));
}

TEST_F(JwtSignerTest, RejectsNonJsonHeaderOrPayload) {
  EXPECT_FALSE(signer.verify(forge("not json", payload())));
  EXPECT_FALSE(signer.verify(forge(R"(["HS256"])", payload())));
  EXPECT_FALSE(signer.verify(forge(header, "not json")));
  EXPECT_FALSE(signer.verify(forge(header, payload() + "garbage")));
  EXPECT_FALSE(signer.verify(forge(header, R"("a string")")));
}

TEST_F(JwtSignerTest, RejectsWrongSegmentCounts) {
  auto token = signer.issue("u", "customer", "s");
  auto second = token.rfind('.');
  EXPECT_FALSE(signer.verify(""));
  EXPECT_FALSE(signer.verify(token.substr(0, second)));
  EXPECT_FALSE(signer.verify(token + ".x"));
  EXPECT_FALSE(signer.verify(token + "."));
  EXPECT_FALSE(signer.verify(token.substr(0, second + 1)));
  EXPECT_FALSE(signer.verify(".."));
  EXPECT_FALSE(signer.verify("." + token.substr(token.find('.') + 1)));
  EXPECT_FALSE(signer.verify(token.substr(0, token.find('.') + 1) + token.substr(second)));
}

TEST_F(JwtSignerTest, RejectsPaddingAndForeignCharacters) {
  auto token = signer.issue("u", "customer", "s");
  EXPECT_FALSE(signer.verify(token + "="));
  // The same payload in padded base64url, correctly signed: refused for the padding alone.
  std::string body = payload(R"("role":"c")");
  while (b64(body).size() % 4 != 2) body.insert(body.size() - 1, " ");
  std::string input = b64(header) + "." + b64(body) + "==";
  ASSERT_TRUE(signer.verify(forge(header, body)));
  EXPECT_FALSE(signer.verify(input + "." + base64url_encode(hmac_sha256(byte_view(secret), input))));
  auto plus = token;
  plus[plus.size() - 3] = '+';
  EXPECT_FALSE(signer.verify(plus));
  EXPECT_FALSE(signer.verify(" " + token));
}

TEST_F(JwtSignerTest, RequiresEveryClaimWithItsType) {
  for (const char* claim : {"sub", "role", "sid", "iat", "exp", "jti", "iss", "token_use"}) {
    std::string body = payload();
    auto at = body.find(std::string("\"") + claim + "\":");
    ASSERT_NE(at, std::string::npos) << claim;
    auto end = body.find_first_of(",}", at);
    body.erase(at, end - at + (body[end] == ',' ? 1 : 0));
    if (body[body.size() - 2] == ',') body.erase(body.size() - 2, 1);
    EXPECT_FALSE(signer.verify(forge(header, body))) << body;
  }
  EXPECT_FALSE(signer.verify(forge(header, payload(R"("role":7)"))));
  EXPECT_FALSE(signer.verify(forge(header, payload(R"("role":null)"))));
  auto with = [&](const std::string& from, const std::string& to) {
    std::string body = payload();
    body.replace(body.find(from), from.size(), to);
    return forge(header, body);
  };
  EXPECT_FALSE(signer.verify(with(R"("sub":"u1")", R"("sub":1)")));
  EXPECT_FALSE(signer.verify(with(R"("sub":"u1")", R"("sub":"")")));
  EXPECT_FALSE(signer.verify(with(R"("iat":)" + std::to_string(now()), R"("iat":")" + std::to_string(now()) + "\"")));
  EXPECT_FALSE(signer.verify(with(R"("exp":)" + std::to_string(now() + 900), R"("exp":1e12)")));
  EXPECT_FALSE(signer.verify(with(R"("exp":)" + std::to_string(now() + 900), R"("exp":true)")));
  EXPECT_FALSE(signer.verify(with(R"("jti":"j1")", R"("jti":["j1"])")));
  EXPECT_FALSE(signer.verify(with(R"("iss":"mercato")", R"("iss":{"name":"mercato"})")));
}

TEST_F(JwtSignerTest, RequiresAccessTokenUse) {
  auto with_use = [&](const std::string& use) {
    std::string body = payload();
    body.replace(body.find(R"("token_use":"access")"), 20, use);
    return forge(header, body);
  };
  EXPECT_FALSE(signer.verify(with_use(R"("token_use":"refresh")")));
  EXPECT_FALSE(signer.verify(with_use(R"("token_use":"Access")")));
  EXPECT_FALSE(signer.verify(with_use(R"("token_use":"")")));
  EXPECT_TRUE(signer.verify(with_use(R"("token_use":"access")")));
}

TEST_F(JwtSignerTest, RefusesOversizedTokens) {
  EXPECT_TRUE(signer.verify(forge(header, payload(R"("role":")" + std::string(5000, 'r') + "\""))));
  EXPECT_FALSE(signer.verify(forge(header, payload(R"("role":")" + std::string(7000, 'r') + "\""))));
}

TEST_F(JwtSignerTest, RefusesWeakConfiguration) {
  EXPECT_THROW(JwtSigner(std::string(31, 'k'), "mercato", 900s, clock, random), std::invalid_argument);
  EXPECT_THROW(JwtSigner(secret, "", 900s, clock, random), std::invalid_argument);
  EXPECT_THROW(JwtSigner(secret, "mercato", 0s, clock, random), std::invalid_argument);
}
