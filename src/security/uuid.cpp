#include "security/uuid.hpp"

#include <array>
#include <cctype>
#include <chrono>
#include <cstdint>

namespace mercato::security {

std::string uuid_v7(const Clock& clock, RandomSource& random) {
  auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(clock.now().time_since_epoch()).count();
  std::array<std::uint8_t, 16> bytes{};
  random.fill(std::span{bytes}.subspan(6));
  for (int i = 0; i < 6; ++i) bytes[i] = static_cast<std::uint8_t>(static_cast<std::uint64_t>(millis) >> (40 - 8 * i));
  bytes[6] = static_cast<std::uint8_t>(0x70 | (bytes[6] & 0x0f));  // version 7
  bytes[8] = static_cast<std::uint8_t>(0x80 | (bytes[8] & 0x3f));  // variant 10
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    out.push_back(digits[bytes[i] >> 4]);
    out.push_back(digits[bytes[i] & 0x0f]);
  }
  return out;
}

bool is_uuid(std::string_view text) noexcept {
  if (text.size() != 36) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? text[i] != '-' : !std::isxdigit(static_cast<unsigned char>(text[i]))) return false;
  }
  return true;
}

std::optional<std::string> canonical_uuid(std::string_view text) {
  if (!is_uuid(text)) return std::nullopt;
  std::string out(text);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace mercato::security
