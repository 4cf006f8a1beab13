#include "stripe_emulator/stripe_ids.hpp"

#include <array>
#include <cstdint>

namespace mercato::stripe_emulator {

namespace {

constexpr std::string_view alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
// The largest multiple of 62 that fits in a byte: bytes at or above it are drawn again.
constexpr unsigned accept_below = 256 - 256 % alphabet.size();

}  // namespace

std::string random_alphanumeric(security::RandomSource& random, std::size_t length) {
  std::string out;
  out.reserve(length);
  std::array<std::uint8_t, 32> bytes{};
  while (out.size() < length) {
    random.fill(bytes);
    for (auto b : bytes) {
      if (b >= accept_below) continue;
      out.push_back(alphabet[b % alphabet.size()]);
      if (out.size() == length) break;
    }
  }
  return out;
}

std::string new_id(security::RandomSource& random, std::string_view prefix) {
  return std::string(prefix) + random_alphanumeric(random, object_id_length);
}

}  // namespace mercato::stripe_emulator
