#pragma once
// Verifies RS256 access and ID tokens issued by one Amazon Cognito user pool: signature by a
// key the pool publishes, issuer, token_use with its client id or audience, and time.
// Only RS256: an HS256, "none" or any other header is refused before any key is looked up,
// so the pool's public key can never be used as an HMAC secret (algorithm confusion).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "security/signing_key_source.hpp"

namespace mercato::security {

struct CognitoSettings {
  std::string issuer;                   // exact "iss", e.g. https://cognito-idp.<region>.amazonaws.com/<pool id>
  std::vector<std::string> client_ids;  // app clients whose tokens we accept
};

struct CognitoClaims {
  std::string subject;    // sub: the user's stable id in the pool
  std::string token_use;  // "access" | "id"
  std::optional<std::string> email;  // ID tokens only
  bool email_verified = false;       // ID tokens only: email_verified true
  std::vector<std::string> groups;   // cognito:groups
  std::string session_id;            // "cognito:" + origin_jti (or jti when absent)
};

struct CognitoVerification {
  enum class Outcome { valid, invalid, unavailable };
  Outcome outcome = Outcome::invalid;
  std::optional<CognitoClaims> claims;  // when valid
  int retry_after_seconds = 0;          // when unavailable
};

class CognitoTokenVerifier {
 public:
  // Same limits as JwtSigner: longer tokens are refused before decoding; 30 s of skew.
  static constexpr std::size_t max_token_bytes = 8192;
  static constexpr std::int64_t clock_skew_seconds = 30;

  // Throws std::invalid_argument for an empty issuer or no client ids. keys and clock must
  // outlive the verifier.
  CognitoTokenVerifier(CognitoSettings settings, SigningKeySource& keys, const Clock& clock);

  // Never throws for bad input.
  CognitoVerification verify(std::string_view token) const;

 private:
  bool accepted_client(std::string_view id) const;

  CognitoSettings settings_;
  SigningKeySource& keys_;
  const Clock& clock_;
};

}  // namespace mercato::security
