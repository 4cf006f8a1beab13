#include "security/field_cipher.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <climits>
#include <memory>
#include <stdexcept>

#include "security/base64.hpp"
#include "security/digest.hpp"

namespace mercato::security {
namespace {

constexpr std::string_view version_prefix = "v1.";
constexpr std::size_t key_id_chars = 8;
constexpr std::size_t nonce_bytes = 12;
constexpr std::size_t tag_bytes = 16;

struct CipherCtxFree {
  void operator()(EVP_CIPHER_CTX* ctx) const noexcept { EVP_CIPHER_CTX_free(ctx); }
};
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxFree>;

CipherCtx new_ctx() {
  CipherCtx ctx{EVP_CIPHER_CTX_new()};
  if (!ctx) throw std::runtime_error("EVP_CIPHER_CTX_new failed");
  return ctx;
}

void check(int rc, const char* what) {
  if (rc != 1) throw std::runtime_error(what);
}

int int_size(std::size_t size) {
  if (size > INT_MAX) throw std::invalid_argument("field too large to encrypt");
  return static_cast<int>(size);
}

std::string aad_for(std::string_view key_id) { return std::string(version_prefix) + std::string(key_id); }

// The key id of a stored value, or "" when the value is not in our format.
std::string_view stored_key_id(std::string_view stored) {
  if (!stored.starts_with(version_prefix)) return {};
  stored.remove_prefix(version_prefix.size());
  if (stored.size() <= key_id_chars || stored[key_id_chars] != '.') return {};
  return stored.substr(0, key_id_chars);
}

}  // namespace

FieldCipher::KeySet::KeySet(std::vector<std::uint8_t>& key) {
  if (key.size() != key_bytes) throw std::invalid_argument("field encryption keys must be 32 bytes");
  encryption_key = hmac_sha256(key, "mercato-field-encryption-v1");
  index_key = hmac_sha256(key, "mercato-blind-index-v1");
  auto id_key = hmac_sha256(key, "mercato-key-id-v1");
  id =
      sha256_hex(std::string_view(reinterpret_cast<const char*>(id_key.data()), id_key.size())).substr(0, key_id_chars);
  OPENSSL_cleanse(id_key.data(), id_key.size());
  OPENSSL_cleanse(key.data(), key.size());
}

FieldCipher::KeySet::~KeySet() {
  OPENSSL_cleanse(encryption_key.data(), encryption_key.size());
  OPENSSL_cleanse(index_key.data(), index_key.size());
}

FieldCipher::FieldCipher(std::vector<std::uint8_t> current_key, std::vector<std::vector<std::uint8_t>> old_keys,
                         RandomSource& random)
    : current_(current_key), random_(random) {
  old_.reserve(old_keys.size());
  for (auto& key : old_keys) {
    KeySet set(key);
    if (set.id == current_.id) throw std::invalid_argument("field encryption key listed twice");
    for (const auto& other : old_) {
      if (other.id == set.id) throw std::invalid_argument("field encryption key listed twice");
    }
    old_.push_back(set);
  }
}

std::string FieldCipher::encrypt(std::string_view plaintext) const {
  std::vector<std::uint8_t> sealed(nonce_bytes + plaintext.size() + tag_bytes);
  random_.fill(std::span{sealed}.first(nonce_bytes));
  std::string aad = aad_for(current_.id);
  auto ctx = new_ctx();
  int len = 0;
  check(EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr), "AES-GCM init failed");
  check(EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, nonce_bytes, nullptr), "AES-GCM nonce length failed");
  check(EVP_EncryptInit_ex(ctx.get(), nullptr, nullptr, current_.encryption_key.data(), sealed.data()),
        "AES-GCM key failed");
  check(EVP_EncryptUpdate(ctx.get(), nullptr, &len, reinterpret_cast<const unsigned char*>(aad.data()),
                          int_size(aad.size())),
        "AES-GCM AAD failed");
  std::uint8_t* out = sealed.data() + nonce_bytes;
  if (!plaintext.empty()) {
    check(EVP_EncryptUpdate(ctx.get(), out, &len, reinterpret_cast<const unsigned char*>(plaintext.data()),
                            int_size(plaintext.size())),
          "AES-GCM encrypt failed");
  }
  int final_len = 0;
  check(EVP_EncryptFinal_ex(ctx.get(), out + plaintext.size(), &final_len), "AES-GCM final failed");
  check(EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, tag_bytes, out + plaintext.size()), "AES-GCM tag failed");
  return aad + "." + base64url_encode(sealed);
}

const FieldCipher::KeySet& FieldCipher::key_for(std::string_view stored) const {
  std::string_view id = stored_key_id(stored);
  if (id.empty()) throw std::runtime_error("encrypted field is malformed");
  if (id == current_.id) return current_;
  for (const auto& set : old_) {
    if (id == set.id) return set;
  }
  throw std::runtime_error("encrypted field uses an unknown key id");
}

std::string FieldCipher::decrypt(std::string_view stored) const {
  const KeySet& key = key_for(stored);
  auto sealed = base64url_decode(stored.substr(version_prefix.size() + key_id_chars + 1));
  if (!sealed || sealed->size() < nonce_bytes + tag_bytes) throw std::runtime_error("encrypted field is malformed");
  std::size_t text_size = sealed->size() - nonce_bytes - tag_bytes;
  const std::uint8_t* body = sealed->data() + nonce_bytes;
  std::string aad = aad_for(key.id);
  std::string plaintext(text_size, '\0');
  auto ctx = new_ctx();
  int len = 0;
  check(EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr), "AES-GCM init failed");
  check(EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, nonce_bytes, nullptr), "AES-GCM nonce length failed");
  check(EVP_DecryptInit_ex(ctx.get(), nullptr, nullptr, key.encryption_key.data(), sealed->data()),
        "AES-GCM key failed");
  check(EVP_DecryptUpdate(ctx.get(), nullptr, &len, reinterpret_cast<const unsigned char*>(aad.data()),
                          int_size(aad.size())),
        "AES-GCM AAD failed");
  if (text_size > 0) {
    check(EVP_DecryptUpdate(ctx.get(), reinterpret_cast<unsigned char*>(plaintext.data()), &len, body,
                            int_size(text_size)),
          "AES-GCM decrypt failed");
  }
  // EVP wants a mutable tag pointer; the buffer is ours.
  check(EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, tag_bytes, sealed->data() + nonce_bytes + text_size),
        "AES-GCM tag failed");
  int final_len = 0;
  if (EVP_DecryptFinal_ex(ctx.get(), reinterpret_cast<unsigned char*>(plaintext.data()) + text_size, &final_len) != 1) {
    OPENSSL_cleanse(plaintext.data(), plaintext.size());  // never release unauthenticated plaintext
    throw std::runtime_error("encrypted field failed authentication");
  }
  return plaintext;
}

std::string FieldCipher::blind_index(std::string_view normalized_value) const {
  return hmac_sha256_hex(current_.index_key, normalized_value);
}

std::vector<std::string> FieldCipher::blind_indexes(std::string_view normalized_value) const {
  std::vector<std::string> out;
  out.reserve(1 + old_.size());
  out.push_back(blind_index(normalized_value));
  for (const auto& set : old_) out.push_back(hmac_sha256_hex(set.index_key, normalized_value));
  return out;
}

bool FieldCipher::uses_current_key(std::string_view stored) const { return stored_key_id(stored) == current_.id; }

}  // namespace mercato::security
