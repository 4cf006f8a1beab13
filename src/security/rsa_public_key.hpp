#pragma once
// An RSA public key made from a JWK's modulus and exponent (RFC 7518 §6.3.1), and RS256
// (RSASSA-PKCS1-v1_5 with SHA-256) signature checks against it, on OpenSSL 3.

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string_view>

typedef struct evp_pkey_st EVP_PKEY;

namespace mercato::security {

class RsaPublicKey {
 public:
  // n and e as base64url big-endian integers; nullopt when they do not decode or OpenSSL
  // refuses them. Keys of any size are made: callers decide the minimum (bits()).
  static std::optional<RsaPublicKey> from_jwk(std::string_view n, std::string_view e);

  int bits() const noexcept;
  // True when `signature` is a valid RS256 signature of `signing_input` by this key.
  bool verify_rs256(std::string_view signing_input, std::span<const std::uint8_t> signature) const;

 private:
  struct Free {
    void operator()(EVP_PKEY* key) const noexcept;
  };
  explicit RsaPublicKey(EVP_PKEY* key);

  std::shared_ptr<EVP_PKEY> key_;  // shared: EVP_PKEY is read-only once made, safe across threads
};

}  // namespace mercato::security
