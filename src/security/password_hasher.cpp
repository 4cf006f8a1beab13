#include "security/password_hasher.hpp"

#include <crypt.h>
#include <openssl/crypto.h>

#include <array>
#include <cstdint>
#include <memory>
#include <stdexcept>

#include "security/digest.hpp"

namespace mercato::security {
namespace {

constexpr std::size_t bcrypt_hash_size = 60;  // "$2b$" + "NN$" + 22 salt + 31 hash characters

bool usable_password(std::string_view password) {
  return !password.empty() && password.size() <= PasswordHasher::max_password_bytes &&
         password.find('\0') == std::string_view::npos;
}

bool is_bcrypt_hash(std::string_view stored) {
  if (stored.size() != bcrypt_hash_size) return false;
  return stored.starts_with("$2b$") || stored.starts_with("$2a$") || stored.starts_with("$2y$");
}

// Clears the password and the key schedule from the heap before freeing them.
struct CryptScratch {
  crypt_data data{};
  std::array<char, PasswordHasher::max_password_bytes + 1> phrase{};
  ~CryptScratch() { OPENSSL_cleanse(this, sizeof(*this)); }
};

// crypt_rn over a heap-allocated crypt_data (about 32 KiB: too big for a worker's stack,
// and per call so that concurrent calls share nothing). Returns "" on failure.
std::string run_crypt(std::string_view password, const std::string& setting) {
  auto scratch = std::make_unique<CryptScratch>();
  password.copy(scratch->phrase.data(), password.size());
  const char* out = crypt_rn(scratch->phrase.data(), setting.c_str(), &scratch->data, sizeof(scratch->data));
  // libxcrypt returns null on failure; older crypt interfaces return "*0" or "*1".
  if (out == nullptr || out[0] == '*') return {};
  return out;
}

}  // namespace

PasswordHasher::PasswordHasher(int cost, RandomSource& random) : cost_(cost), random_(random) {
  if (cost < 4 || cost > 31) throw std::invalid_argument("bcrypt cost must be between 4 and 31");
  // Hash-shaped, with a real salt and cost, so verify() against it does the full bcrypt
  // work; its hash part is random, so no password matches. Computing a real hash here would
  // add a whole bcrypt run (~250 ms at cost 12) to every cold start.
  static constexpr char alphabet[] = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  std::array<std::uint8_t, bcrypt_hash_size - 29> tail{};
  random_.fill(tail);
  dummy_hash_ = new_setting();
  for (auto b : tail) dummy_hash_.push_back(alphabet[b % 64]);
}

std::string PasswordHasher::new_setting() const {
  std::array<std::uint8_t, 16> salt{};
  random_.fill(salt);
  std::array<char, CRYPT_GENSALT_OUTPUT_SIZE> setting{};
  if (crypt_gensalt_rn("$2b$", static_cast<unsigned long>(cost_), reinterpret_cast<const char*>(salt.data()),
                       static_cast<int>(salt.size()), setting.data(), static_cast<int>(setting.size())) == nullptr) {
    throw std::runtime_error("crypt_gensalt_rn failed");
  }
  return setting.data();
}

std::string PasswordHasher::hash(std::string_view password) const {
  if (!usable_password(password)) {
    throw std::invalid_argument("password must be 1 to 72 bytes without NUL");
  }
  std::string result = run_crypt(password, new_setting());
  if (!is_bcrypt_hash(result)) throw std::runtime_error("bcrypt failed");
  return result;
}

bool PasswordHasher::verify(std::string_view password, std::string_view stored_hash) const {
  if (!usable_password(password) || !is_bcrypt_hash(stored_hash)) return false;
  std::string computed = run_crypt(password, std::string(stored_hash));
  if (computed.empty()) return false;
  return constant_time_equal(computed, stored_hash);
}

}  // namespace mercato::security
