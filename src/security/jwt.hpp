#pragma once
// HS256 access tokens (RFC 7519): issue and verify compact JWTs signed with one shared
// secret. Refresh tokens are opaque random strings (secure_token.hpp), not JWTs.
//
// Why a small module on OpenSSL rather than libjwt: the algorithm is pinned to HS256 before
// any signature work, so "none", HS512 or RS256 headers (the alg-confusion family of
// attacks) cannot select another code path, and the surface is one header, one signer,
// one claim set: no key sets, no JWKS fetching, no algorithm registry to misconfigure.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.hpp"
#include "security/random.hpp"

namespace mercato::security {

struct AccessClaims {
  std::string subject;      // sub: the user id
  std::string role;         // role
  std::string session_id;   // sid: the refresh-token family this token was minted from
  std::int64_t issued_at;   // iat, Unix seconds
  std::int64_t expires_at;  // exp, Unix seconds
  std::string token_id;     // jti: 32 random hex characters
  std::string issuer;       // iss
};

class JwtSigner {
 public:
  // Tolerated difference between our clock and the issuer's (iat ahead, exp behind).
  static constexpr std::chrono::seconds clock_skew{30};
  // Longer tokens are refused before any decoding.
  static constexpr std::size_t max_token_bytes = 8192;
  // RFC 7518 §3.2: an HS256 key must be at least as long as the hash output.
  static constexpr std::size_t min_secret_bytes = 32;

  // Throws std::invalid_argument for a secret under 32 bytes, an empty issuer or a
  // lifetime that is not positive. clock and random must outlive the signer.
  JwtSigner(std::string secret, std::string issuer, std::chrono::seconds lifetime, const Clock& clock,
            RandomSource& random);

  // Fills iat (now), exp (now + lifetime), jti (16 random bytes, hex) and iss.
  std::string issue(std::string_view subject, std::string_view role, std::string_view session_id) const;
  // The claims of a well-formed, correctly signed, current access token from this issuer;
  // nullopt for anything else. Never throws for bad input.
  std::optional<AccessClaims> verify(std::string_view token) const;
  std::chrono::seconds lifetime() const noexcept { return lifetime_; }

 private:
  std::int64_t now_seconds() const;

  std::string secret_;
  std::string issuer_;
  std::chrono::seconds lifetime_;
  const Clock& clock_;
  RandomSource& random_;
};

}  // namespace mercato::security
