#include "security/secure_token.hpp"

#include <openssl/crypto.h>

#include <cstdint>
#include <stdexcept>
#include <vector>

#include "security/base64.hpp"
#include "security/digest.hpp"

namespace mercato::security {

std::string random_token(RandomSource& random, std::size_t bytes) {
  if (bytes < min_token_bytes) throw std::invalid_argument("tokens need at least 16 random bytes");
  std::vector<std::uint8_t> raw(bytes);
  random.fill(raw);
  std::string token = base64url_encode(raw);
  OPENSSL_cleanse(raw.data(), raw.size());
  return token;
}

std::string token_digest(std::string_view token) { return sha256_hex(token); }

}  // namespace mercato::security
