#include "support/rsa_test_keys.hpp"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

#include <stdexcept>
#include <vector>

namespace mercato::testing {

namespace {

std::string base64url_of(const unsigned char* data, std::size_t size) {
  static constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < size; i += 3) {
    unsigned v = (data[i] << 16) | (data[i + 1] << 8) | data[i + 2];
    out += alphabet[(v >> 18) & 63];
    out += alphabet[(v >> 12) & 63];
    out += alphabet[(v >> 6) & 63];
    out += alphabet[v & 63];
  }
  if (size - i == 1) {
    unsigned v = data[i] << 16;
    out += alphabet[(v >> 18) & 63];
    out += alphabet[(v >> 12) & 63];
  } else if (size - i == 2) {
    unsigned v = (data[i] << 16) | (data[i + 1] << 8);
    out += alphabet[(v >> 18) & 63];
    out += alphabet[(v >> 12) & 63];
    out += alphabet[(v >> 6) & 63];
  }
  return out;
}

std::string bn_param(EVP_PKEY* key, const char* name) {
  BIGNUM* bn = nullptr;
  if (EVP_PKEY_get_bn_param(key, name, &bn) != 1) throw std::runtime_error("EVP_PKEY_get_bn_param failed");
  std::vector<unsigned char> bytes(static_cast<std::size_t>(BN_num_bytes(bn)));
  BN_bn2bin(bn, bytes.data());
  BN_free(bn);
  return base64url_of(bytes.data(), bytes.size());
}

}  // namespace

TestRsaKey::TestRsaKey(EVP_PKEY* key) : key_(key, EVP_PKEY_free) {}

TestRsaKey TestRsaKey::generate(int bits) {
  EVP_PKEY* key = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(bits));
  if (key == nullptr) throw std::runtime_error("RSA key generation failed");
  return TestRsaKey(key);
}

boost::json::object TestRsaKey::jwk(std::string_view kid) const {
  return {{"kty", "RSA"}, {"use", "sig"}, {"alg", "RS256"}, {"kid", kid},
          {"n", bn_param(key_.get(), OSSL_PKEY_PARAM_RSA_N)}, {"e", bn_param(key_.get(), OSSL_PKEY_PARAM_RSA_E)}};
}

std::string TestRsaKey::public_pem() const {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
  PEM_write_bio_PUBKEY(bio.get(), key_.get());
  char* data = nullptr;
  long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(size));
}

std::string TestRsaKey::sign(std::string_view input) const {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  std::size_t size = 0;
  if (EVP_DigestSignInit_ex(ctx.get(), nullptr, "SHA256", nullptr, nullptr, key_.get(), nullptr) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &size, reinterpret_cast<const unsigned char*>(input.data()), input.size()) != 1)
    throw std::runtime_error("EVP_DigestSign failed");
  std::vector<unsigned char> signature(size);
  if (EVP_DigestSign(ctx.get(), signature.data(), &size, reinterpret_cast<const unsigned char*>(input.data()),
                     input.size()) != 1)
    throw std::runtime_error("EVP_DigestSign failed");
  return base64url_of(signature.data(), size);
}

const TestRsaKey& shared_rsa_key(int index) {
  static const std::vector<TestRsaKey> keys = [] {
    std::vector<TestRsaKey> out;
    for (int i = 0; i < 3; ++i) out.push_back(TestRsaKey::generate(2048));
    return out;
  }();
  return keys.at(static_cast<std::size_t>(index));
}

std::string jwks_document(std::initializer_list<boost::json::object> keys) {
  boost::json::array array;
  for (const auto& key : keys) array.push_back(key);
  return boost::json::serialize(boost::json::object{{"keys", array}});
}

std::string base64url(std::string_view bytes) {
  return base64url_of(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
}

std::string signing_input(const boost::json::object& header, const boost::json::object& payload) {
  return base64url(boost::json::serialize(header)) + "." + base64url(boost::json::serialize(payload));
}

std::string sign_rs256(const boost::json::object& header, const boost::json::object& payload, const TestRsaKey& key) {
  auto input = signing_input(header, payload);
  return input + "." + key.sign(input);
}

std::string sign_hs256(const boost::json::object& header, const boost::json::object& payload, std::string_view secret) {
  auto input = signing_input(header, payload);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()), reinterpret_cast<const unsigned char*>(input.data()),
       input.size(), mac, &size);
  return input + "." + base64url_of(mac, size);
}

}  // namespace mercato::testing
