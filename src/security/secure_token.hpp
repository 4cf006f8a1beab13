#pragma once
// Opaque bearer secrets (refresh tokens, email verification and password reset links): the
// client gets the random token, the database keeps only its SHA-256.

#include <cstddef>
#include <string>
#include <string_view>

#include "security/random.hpp"

namespace mercato::security {

// At least 128 bits: std::invalid_argument for fewer than 16 bytes.
constexpr std::size_t min_token_bytes = 16;

// base64url without padding of `bytes` random bytes (43 characters for the default 32).
std::string random_token(RandomSource& random, std::size_t bytes = 32);
// Lower-case SHA-256 hex (64 characters) of the token: what the database stores and looks
// up by. A plain hash suffices because the token already carries 128+ bits of entropy.
std::string token_digest(std::string_view token);

}  // namespace mercato::security
