#pragma once
// Randomness comes through this interface so that tests can make it deterministic; the
// production source is OpenSSL's CSPRNG.

#include <cstdint>
#include <span>
#include <string>

namespace mercato::security {

class RandomSource {
 public:
  virtual ~RandomSource() = default;
  // Throws std::runtime_error when the generator fails (never returns weak bytes).
  virtual void fill(std::span<std::uint8_t> out) = 0;
};

class SystemRandom final : public RandomSource {
 public:
  void fill(std::span<std::uint8_t> out) override;
};

std::string random_hex(RandomSource& random, std::size_t bytes);

}  // namespace mercato::security
