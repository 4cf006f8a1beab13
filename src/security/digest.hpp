#pragma once
// SHA-256, HMAC-SHA256 and a constant-time comparison through OpenSSL: the primitives the
// token, JWT, field-cipher and webhook code build on.

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace mercato::security {

using Sha256Digest = std::array<std::uint8_t, 32>;

Sha256Digest sha256(std::string_view data);
// Lower-case hex, 64 characters.
std::string sha256_hex(std::string_view data);

// Throws std::runtime_error only if OpenSSL itself fails (never for any input).
Sha256Digest hmac_sha256(std::span<const std::uint8_t> key, std::string_view data);
std::string hmac_sha256_hex(std::span<const std::uint8_t> key, std::string_view data);

// The bytes of a string, for the functions above that take keys as bytes.
inline std::span<const std::uint8_t> byte_view(std::string_view text) noexcept {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

// Lower-case hex of arbitrary bytes.
std::string to_hex(std::span<const std::uint8_t> bytes);

// Compares contents in time that depends only on the lengths; different lengths are
// unequal without reading either string (lengths of MACs and digests are public).
bool constant_time_equal(std::string_view a, std::string_view b) noexcept;

}  // namespace mercato::security
