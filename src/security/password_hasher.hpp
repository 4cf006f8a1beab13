#pragma once
// bcrypt ($2b$) password hashing through libxcrypt. Slow on purpose: call it from a worker
// thread, never from an I/O thread.

#include <cstddef>
#include <string>
#include <string_view>

#include "security/random.hpp"

namespace mercato::security {

class PasswordHasher {
 public:
  // bcrypt can only see 72 bytes; longer input is refused rather than silently truncated.
  static constexpr std::size_t max_password_bytes = 72;

  // cost is bcrypt's log2 work factor, 4..31 (std::invalid_argument otherwise). random
  // must outlive the hasher and be safe to call from every thread that calls hash().
  PasswordHasher(int cost, RandomSource& random);

  // Throws std::invalid_argument for an empty password, one over 72 bytes or one holding a
  // NUL byte (the caller's validation is meant to stop these first).
  std::string hash(std::string_view password) const;
  // False for a wrong password, an unusable password, or a stored value that is not a
  // well-formed bcrypt hash ($2a$, $2b$ or $2y$): never throws for bad input.
  bool verify(std::string_view password, std::string_view stored_hash) const;
  // A bcrypt-shaped value with a real salt and this cost that no password matches, made at
  // construction: verify against it when the account does not exist, so that an unknown
  // email costs as long as a wrong password.
  std::string dummy_hash() const { return dummy_hash_; }
  int cost() const noexcept { return cost_; }

 private:
  std::string new_setting() const;  // "$2b$<cost>$<22 salt characters>"

  int cost_;
  RandomSource& random_;
  std::string dummy_hash_;
};

}  // namespace mercato::security
