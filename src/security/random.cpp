#include "security/random.hpp"

#include <openssl/rand.h>

#include <stdexcept>
#include <vector>

namespace mercato::security {

void SystemRandom::fill(std::span<std::uint8_t> out) {
  if (out.empty()) return;
  if (RAND_bytes(out.data(), static_cast<int>(out.size())) != 1) throw std::runtime_error("CSPRNG failure");
}

std::string random_hex(RandomSource& random, std::size_t bytes) {
  static constexpr char digits[] = "0123456789abcdef";
  std::vector<std::uint8_t> raw(bytes);
  random.fill(raw);
  std::string out;
  out.reserve(bytes * 2);
  for (auto b : raw) {
    out.push_back(digits[b >> 4]);
    out.push_back(digits[b & 0x0f]);
  }
  return out;
}

}  // namespace mercato::security
