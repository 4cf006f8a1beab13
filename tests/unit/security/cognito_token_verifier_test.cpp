// CognitoTokenVerifier against fixed keys: the claims it reads and the edges of the rules
// (the API-level cases are in tests/integration/accounts/cognito_sign_in_test.cpp).

#include <gtest/gtest.h>

#include <boost/json/array.hpp>

#include "security/cognito_token_verifier.hpp"
#include "security/compact_jws.hpp"
#include "support/fixed_clock.hpp"
#include "support/rsa_test_keys.hpp"

using namespace mercato;
using Outcome = security::CognitoVerification::Outcome;
using mercato::testing::shared_rsa_key;
namespace json = boost::json;

namespace {

constexpr std::string_view issuer = "https://idp.example/pool";

class FixedKeys final : public security::SigningKeySource {
 public:
  security::KeyLookup find(std::string_view kid) override {
    ++lookups;
    if (unavailable) return {security::KeyLookup::Status::unavailable, nullptr, 4};
    if (keys->find(kid) == nullptr) return {security::KeyLookup::Status::unknown_kid, nullptr, 0};
    return {security::KeyLookup::Status::found, keys, 0};
  }
  std::shared_ptr<const security::JwkSet> keys = std::make_shared<const security::JwkSet>(
      *security::JwkSet::parse(mercato::testing::jwks_document({shared_rsa_key(0).jwk("k0")})));
  bool unavailable = false;
  int lookups = 0;
};

class CognitoTokenVerifierTest : public ::testing::Test {
 protected:
  std::int64_t now() const { return std::chrono::floor<std::chrono::seconds>(clock_.now()).time_since_epoch().count(); }
  json::object id_claims() const {
    return {{"sub", "s-1"},       {"iss", issuer},     {"aud", "web"},        {"token_use", "id"}, {"iat", now()},
            {"exp", now() + 60},  {"jti", "j-1"},      {"email", "a@b.example"}, {"email_verified", true}};
  }
  static std::string sign(const json::object& claims, json::object header = {{"alg", "RS256"}, {"kid", "k0"}}) {
    return mercato::testing::sign_rs256(header, claims, shared_rsa_key(0));
  }
  Outcome outcome_of(const std::string& token) const { return verifier_.verify(token).outcome; }

  mercato::testing::FixedClock clock_;
  FixedKeys keys_;
  security::CognitoTokenVerifier verifier_{{std::string(issuer), {"web", "mobile"}}, keys_, clock_};
};

}  // namespace

TEST_F(CognitoTokenVerifierTest, ReadsTheClaimsOfAnIdToken) {
  auto claims = id_claims();
  claims["cognito:groups"] = json::array{"vendor", 7, "staff"};
  auto result = verifier_.verify(sign(claims));
  ASSERT_EQ(result.outcome, Outcome::valid);
  EXPECT_EQ(result.claims->subject, "s-1");
  EXPECT_EQ(result.claims->token_use, "id");
  EXPECT_EQ(result.claims->email, "a@b.example");
  EXPECT_TRUE(result.claims->email_verified);
  EXPECT_EQ(result.claims->groups, (std::vector<std::string>{"vendor", "staff"}));
  EXPECT_EQ(result.claims->session_id, "cognito:j-1") << "jti when there is no origin_jti";
  claims["origin_jti"] = "o-1";
  EXPECT_EQ(verifier_.verify(sign(claims)).claims->session_id, "cognito:o-1");
}

TEST_F(CognitoTokenVerifierTest, AnAudienceListNeedsOneOfOurClients) {
  auto claims = id_claims();
  claims["aud"] = json::array{"other", "mobile"};
  EXPECT_EQ(outcome_of(sign(claims)), Outcome::valid);
  claims["aud"] = json::array{"other"};
  EXPECT_EQ(outcome_of(sign(claims)), Outcome::invalid);
}

TEST_F(CognitoTokenVerifierTest, EmailVerifiedAsTextIsAcceptedOnlyAsTrue) {
  auto claims = id_claims();
  claims["email_verified"] = "true";
  EXPECT_TRUE(verifier_.verify(sign(claims)).claims->email_verified);
  claims["email_verified"] = "yes";
  EXPECT_FALSE(verifier_.verify(sign(claims)).claims->email_verified);
  claims.erase("email_verified");
  EXPECT_FALSE(verifier_.verify(sign(claims)).claims->email_verified);
}

TEST_F(CognitoTokenVerifierTest, TheClockSkewIsThirtySeconds) {
  auto claims = id_claims();
  claims["exp"] = now() - 29;
  EXPECT_EQ(outcome_of(sign(claims)), Outcome::valid);
  claims["exp"] = now() - 30;
  EXPECT_EQ(outcome_of(sign(claims)), Outcome::invalid);
  claims = id_claims();
  claims["iat"] = now() + 30;
  EXPECT_EQ(outcome_of(sign(claims)), Outcome::valid);
  claims["iat"] = now() + 31;
  EXPECT_EQ(outcome_of(sign(claims)), Outcome::invalid);
  claims = id_claims();
  claims["nbf"] = "soon";
  EXPECT_EQ(outcome_of(sign(claims)), Outcome::invalid) << "an nbf that is not a number";
  claims["exp"] = "later";
  claims.erase("nbf");
  EXPECT_EQ(outcome_of(sign(claims)), Outcome::invalid);
}

TEST_F(CognitoTokenVerifierTest, HeadersOtherThanPlainRs256WithAKidAreRefusedBeforeAnyKeyLookup) {
  EXPECT_EQ(outcome_of(sign(id_claims(), {{"alg", "RS256"}, {"kid", "k0"}, {"crit", json::array{"exp"}}})),
            Outcome::invalid);
  EXPECT_EQ(outcome_of(sign(id_claims(), {{"alg", "RS256"}, {"kid", "k0"}, {"typ", "at+jwt"}})), Outcome::invalid);
  EXPECT_EQ(outcome_of(sign(id_claims(), {{"alg", "RS256"}, {"kid", ""}})), Outcome::invalid);
  EXPECT_EQ(outcome_of(sign(id_claims(), {{"alg", "rs256"}, {"kid", "k0"}})), Outcome::invalid);
  EXPECT_EQ(keys_.lookups, 0);
  EXPECT_EQ(outcome_of(sign(id_claims(), {{"alg", "RS256"}, {"kid", "k0"}, {"typ", "JWT"}})), Outcome::valid);
}

TEST_F(CognitoTokenVerifierTest, MalformedTokensAreRefused) {
  auto good = sign(id_claims());
  EXPECT_EQ(outcome_of(""), Outcome::invalid);
  EXPECT_EQ(outcome_of(good + ".x"), Outcome::invalid);
  EXPECT_EQ(outcome_of(good.substr(0, good.rfind('.'))), Outcome::invalid);
  EXPECT_EQ(outcome_of(good + "!"), Outcome::invalid);
  auto huge = id_claims();
  huge["pad"] = std::string(8200, 'x');
  EXPECT_EQ(outcome_of(sign(huge)), Outcome::invalid) << "over 8 KiB";
  EXPECT_EQ(keys_.lookups, 0) << "nothing that cannot be a token reaches the key source";
}

TEST_F(CognitoTokenVerifierTest, UnavailableKeysAreReportedWithTheirRetryTime) {
  keys_.unavailable = true;
  auto result = verifier_.verify(sign(id_claims()));
  EXPECT_EQ(result.outcome, Outcome::unavailable);
  EXPECT_EQ(result.retry_after_seconds, 4);
}

TEST_F(CognitoTokenVerifierTest, SettingsMustNameAnIssuerAndAClient) {
  EXPECT_THROW(security::CognitoTokenVerifier({"", {"web"}}, keys_, clock_), std::invalid_argument);
  EXPECT_THROW(security::CognitoTokenVerifier({std::string(issuer), {}}, keys_, clock_), std::invalid_argument);
}

TEST(CompactJws, PeeksTheHeaderOfAnyTokenThatSplits) {
  auto token = mercato::testing::signing_input({{"alg", "RS256"}, {"kid", "k9"}, {"typ", "JWT"}, {"crit", json::array{}}},
                                               {{"sub", "x"}}) + ".sig";
  auto header = security::peek_jose_header(token, 8192);
  ASSERT_TRUE(header.has_value());
  EXPECT_EQ(header->alg, "RS256");
  EXPECT_EQ(header->kid, "k9");
  EXPECT_EQ(header->typ, "JWT");
  EXPECT_TRUE(header->has_crit);
  auto bare = security::peek_jose_header(mercato::testing::signing_input({{"alg", 5}}, {}) + ".s", 8192);
  ASSERT_TRUE(bare.has_value());
  EXPECT_EQ(bare->alg, "") << "a non-string alg reads as none given";
  EXPECT_FALSE(bare->has_typ);
  EXPECT_FALSE(security::peek_jose_header(token, 10).has_value()) << "over the length cap";
  EXPECT_FALSE(security::peek_jose_header("a.b", 8192).has_value());
  EXPECT_FALSE(security::peek_jose_header("a..c", 8192).has_value());
  EXPECT_FALSE(security::peek_jose_header("bm90IGpzb24.e30.c", 8192).has_value()) << "header not JSON";
}
