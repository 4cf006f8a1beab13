#pragma once
// Standard base64 (RFC 4648 §4) through OpenSSL.

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

}  // namespace mercato::security
