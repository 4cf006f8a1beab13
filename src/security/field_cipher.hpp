#pragma once
// AES-256-GCM encryption of individual database fields (personal data at rest), with key
// rotation and HMAC blind indexes so that encrypted values can still be looked up by equality.
//
// Each 32-byte master key is never used directly; three sub-keys are derived from it:
//   encryption key = HMAC-SHA256(key, "mercato-field-encryption-v1")
//   index key      = HMAC-SHA256(key, "mercato-blind-index-v1")
//   key id         = first 8 hex characters of SHA-256(HMAC-SHA256(key, "mercato-key-id-v1"))
// so the stored key id reveals nothing about the raw key or the other sub-keys.
//
// Stored form: "v1." + key_id + "." + base64url(nonce[12] || ciphertext || tag[16]), with
// "v1." + key_id as additional authenticated data, so a value cannot be moved to another id.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "security/random.hpp"

namespace mercato::security {

class FieldCipher {
 public:
  static constexpr std::size_t key_bytes = 32;

  // Throws std::invalid_argument when a key is not 32 bytes or two keys share a key id
  // (a key listed twice). random must outlive the cipher and be thread-safe if shared.
  FieldCipher(std::vector<std::uint8_t> current_key, std::vector<std::vector<std::uint8_t>> old_keys,
              RandomSource& random);

  // A fresh random nonce each call, under the current key.
  std::string encrypt(std::string_view plaintext) const;
  // Throws std::runtime_error for a malformed value, an unknown key id or a failed
  // authentication (tampering, or the wrong key).
  std::string decrypt(std::string_view stored) const;

  // HMAC-SHA256 hex (64 characters) of an already normalised value under the current key.
  std::string blind_index(std::string_view normalized_value) const;
  // The current key's index first, then each old key's: during a rotation, look up by all.
  std::vector<std::string> blind_indexes(std::string_view normalized_value) const;

  // False for values under an old key (re-encrypt them) and for malformed values.
  bool uses_current_key(std::string_view stored) const;
  const std::string& current_key_id() const noexcept { return current_.id; }

 private:
  struct KeySet {
    explicit KeySet(std::vector<std::uint8_t>& key);
    KeySet(const KeySet&) = default;
    KeySet& operator=(const KeySet&) = default;
    ~KeySet();
    std::string id;
    std::array<std::uint8_t, 32> encryption_key;
    std::array<std::uint8_t, 32> index_key;
  };

  const KeySet& key_for(std::string_view stored) const;

  KeySet current_;
  std::vector<KeySet> old_;
  RandomSource& random_;
};

}  // namespace mercato::security
