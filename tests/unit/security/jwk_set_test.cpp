// JwkSet keeps only keys that could sign an RS256 token we accept; RsaPublicKey checks
// RS256 signatures made by OpenSSL in the test.

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>

#include "security/base64.hpp"
#include "security/jwk_set.hpp"
#include "support/rsa_test_keys.hpp"

using namespace mercato;
using mercato::testing::shared_rsa_key;
namespace json = boost::json;

namespace {

std::string doc(std::initializer_list<json::object> keys) { return mercato::testing::jwks_document(keys); }

json::object with(json::object jwk, std::string_view name, json::value value) {
  jwk[name] = std::move(value);
  return jwk;
}

std::vector<std::uint8_t> bytes_of(std::string_view base64url) { return *security::base64url_decode(base64url); }

}  // namespace

TEST(JwkSet, KeepsRs256SigningKeysByKid) {
  auto set = security::JwkSet::parse(doc({shared_rsa_key(0).jwk("a"), shared_rsa_key(1).jwk("b")}));
  ASSERT_TRUE(set.has_value());
  EXPECT_EQ(set->size(), 2u);
  ASSERT_NE(set->find("a"), nullptr);
  EXPECT_EQ(set->find("a")->bits(), 2048);
  EXPECT_EQ(set->find("c"), nullptr);
}

TEST(JwkSet, UseAndAlgMayBeAbsent) {
  auto jwk = shared_rsa_key(0).jwk("a");
  jwk.erase("use");
  jwk.erase("alg");
  EXPECT_EQ(security::JwkSet::parse(doc({jwk}))->size(), 1u);
}

TEST(JwkSet, LeavesOutKeysItMustNotUse) {
  auto good = shared_rsa_key(0).jwk("a");
  auto small = mercato::testing::TestRsaKey::generate(1024).jwk("small");
  auto no_kid = good;
  no_kid.erase("kid");
  auto set = security::JwkSet::parse(doc({with(good, "kid", "enc"), with(good, "kty", "EC"), small, no_kid,
                                          with(good, "n", "!!"), with(good, "e", 65537)}));
  ASSERT_TRUE(set.has_value());
  EXPECT_EQ(set->size(), 1u) << "only the first";
  auto refused = security::JwkSet::parse(doc({with(with(good, "kid", "u"), "use", "enc"),
                                              with(with(good, "kid", "h"), "alg", "RS512"),
                                              with(with(good, "kid", "k"), "kty", "oct"), small}));
  ASSERT_TRUE(refused.has_value());
  EXPECT_EQ(refused->size(), 0u);
}

TEST(JwkSet, ADuplicateKidKeepsTheFirstKey) {
  auto set = security::JwkSet::parse(doc({shared_rsa_key(0).jwk("a"), shared_rsa_key(1).jwk("a")}));
  auto token = mercato::testing::sign_rs256({{"alg", "RS256"}}, {{"x", 1}}, shared_rsa_key(0));
  auto dot = token.rfind('.');
  EXPECT_TRUE(set->find("a")->verify_rs256(token.substr(0, dot), bytes_of(token.substr(dot + 1))));
}

TEST(JwkSet, RefusesDocumentsThatAreNotKeySets) {
  EXPECT_FALSE(security::JwkSet::parse("").has_value());
  EXPECT_FALSE(security::JwkSet::parse("[]").has_value());
  EXPECT_FALSE(security::JwkSet::parse(R"({"keys":{}})").has_value());
  EXPECT_FALSE(security::JwkSet::parse(R"({"other":[]})").has_value());
}

TEST(RsaPublicKey, VerifiesOnlyItsOwnSignatureOverTheExactInput) {
  auto jwk = shared_rsa_key(0).jwk("a");
  auto key = security::RsaPublicKey::from_jwk(jwk.at("n").as_string(), jwk.at("e").as_string());
  ASSERT_TRUE(key.has_value());
  std::string input = "header.payload";
  auto good = bytes_of(shared_rsa_key(0).sign(input));
  EXPECT_TRUE(key->verify_rs256(input, good));
  EXPECT_FALSE(key->verify_rs256("header.payloae", good));
  EXPECT_FALSE(key->verify_rs256(input, bytes_of(shared_rsa_key(1).sign(input))));
  auto flipped = good;
  flipped[10] ^= 1;
  EXPECT_FALSE(key->verify_rs256(input, flipped));
  EXPECT_FALSE(key->verify_rs256(input, {}));
}

TEST(RsaPublicKey, RefusesParametersThatAreNotAKey) {
  EXPECT_FALSE(security::RsaPublicKey::from_jwk("", "AQAB").has_value());
  EXPECT_FALSE(security::RsaPublicKey::from_jwk("AA", "AQAB").has_value());
  EXPECT_FALSE(security::RsaPublicKey::from_jwk("not base64!", "AQAB").has_value());
}
