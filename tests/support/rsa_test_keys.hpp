#pragma once
// RSA keys, JWKS documents and signed JWTs made by the tests with OpenSSL directly, so
// that nothing under test signs the tokens it then verifies.

#include <boost/json/object.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

typedef struct evp_pkey_st EVP_PKEY;

namespace mercato::testing {

class TestRsaKey {
 public:
  // A fresh key pair (2048-bit takes tens of milliseconds: reuse via shared_rsa_key).
  static TestRsaKey generate(int bits);

  // The public JWK: kty RSA, use sig, alg RS256, the kid given, n and e.
  boost::json::object jwk(std::string_view kid) const;
  // The public key as PEM text: what an algorithm-confusion attacker would use as an
  // HMAC secret.
  std::string public_pem() const;
  // The base64url RS256 signature of `input`.
  std::string sign(std::string_view input) const;

 private:
  explicit TestRsaKey(EVP_PKEY* key);
  std::shared_ptr<EVP_PKEY> key_;
};

// Keys made once per test run: index 0, 1, 2 are distinct 2048-bit keys.
const TestRsaKey& shared_rsa_key(int index);

// {"keys":[jwk...]} as text.
std::string jwks_document(std::initializer_list<boost::json::object> keys);

std::string base64url(std::string_view bytes);
// header.payload as compact JWS text without a signature.
std::string signing_input(const boost::json::object& header, const boost::json::object& payload);
// A compact JWS signed RS256 with `key`.
std::string sign_rs256(const boost::json::object& header, const boost::json::object& payload, const TestRsaKey& key);
// A compact JWS signed HS256 with `secret` (HMAC computed by OpenSSL here).
std::string sign_hs256(const boost::json::object& header, const boost::json::object& payload, std::string_view secret);

}  // namespace mercato::testing
