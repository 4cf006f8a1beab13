#pragma once
// The RS256 signing keys of a JWKS document (RFC 7517 §5), by key id. Keys that could not
// sign an RS256 token we accept are left out rather than failing the whole set, so one odd
// key published beside the good ones does not lock everyone out.

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "security/rsa_public_key.hpp"

namespace mercato::security {

class JwkSet {
 public:
  // Below this an RSA key is refused (NIST SP 800-131A; Cognito's keys are 2048-bit).
  static constexpr int min_rsa_bits = 2048;

  // nullopt when the document is not a JSON object with a "keys" array. Kept: kty "RSA",
  // a non-empty kid, use "sig" or absent, alg "RS256" or absent, n and e that make a key of
  // at least min_rsa_bits. A kid seen twice keeps its first key.
  static std::optional<JwkSet> parse(std::string_view document);

  const RsaPublicKey* find(std::string_view kid) const;
  std::size_t size() const noexcept { return keys_.size(); }

 private:
  std::map<std::string, RsaPublicKey, std::less<>> keys_;
};

}  // namespace mercato::security
