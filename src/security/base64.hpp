#pragma once
// Standard base64 (RFC 4648 §4) through OpenSSL, and the unpadded base64url alphabet (§5)
// that JWTs and stored tokens use.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace mercato::security {

std::string base64_encode(std::span<const std::uint8_t> bytes);
// nullopt for text that is not canonical padded base64.
std::optional<std::vector<std::uint8_t>> base64_decode(std::string_view text);

// base64url without '=' padding.
std::string base64url_encode(std::span<const std::uint8_t> bytes);
// nullopt for padding, '+', '/', any other foreign character, an impossible length or
// non-zero trailing bits: exactly one text decodes to each byte string.
std::optional<std::vector<std::uint8_t>> base64url_decode(std::string_view text);

}  // namespace mercato::security
