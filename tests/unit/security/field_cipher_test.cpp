#include <gtest/gtest.h>

#include <cstdint>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "security/digest.hpp"
#include "security/field_cipher.hpp"

using mercato::security::FieldCipher;
using mercato::security::sha256_hex;
using mercato::security::SystemRandom;

namespace {

std::vector<std::uint8_t> key(std::uint8_t fill) { return std::vector<std::uint8_t>(32, fill); }

struct FieldCipherTest : ::testing::Test {
  SystemRandom random;
  FieldCipher cipher_a{key(0xa1), {}, random};
};

}  // namespace

TEST_F(FieldCipherTest, RoundTrip) {
  auto stored = cipher_a.encrypt("alice@example.com");
  EXPECT_EQ(cipher_a.decrypt(stored), "alice@example.com");
  EXPECT_EQ(stored.find("alice"), std::string::npos);
  EXPECT_TRUE(cipher_a.uses_current_key(stored));
  std::string binary(10000, '\0');
  for (std::size_t i = 0; i < binary.size(); ++i) binary[i] = static_cast<char>(i * 7);
  EXPECT_EQ(cipher_a.decrypt(cipher_a.encrypt(binary)), binary);
}

TEST_F(FieldCipherTest, EmptyPlaintext) {
  auto stored = cipher_a.encrypt("");
  EXPECT_EQ(cipher_a.decrypt(stored), "");
}

TEST_F(FieldCipherTest, StoredFormHidesTheRawKey) {
  auto stored = cipher_a.encrypt("x");
  ASSERT_EQ(stored.substr(0, 3), "v1.");
  auto id = stored.substr(3, 8);
  EXPECT_EQ(stored[11], '.');
  EXPECT_EQ(id, cipher_a.current_key_id());
  EXPECT_EQ(id.find_first_not_of("0123456789abcdef"), std::string::npos);
  auto raw = key(0xa1);
  EXPECT_NE(id, sha256_hex(std::string(raw.begin(), raw.end())).substr(0, 8));
  // 12-byte nonce + 1 byte + 16-byte tag = 29 bytes = 39 base64url characters.
  EXPECT_EQ(stored.size() - 12, 39u);
}

TEST_F(FieldCipherTest, EachEncryptionDiffers) {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) seen.insert(cipher_a.encrypt("same value"));
  EXPECT_EQ(seen.size(), 100u);
}

TEST_F(FieldCipherTest, TamperingAnyCharacterThrows) {
  auto stored = cipher_a.encrypt("secret");
  for (std::size_t i = 0; i < stored.size(); ++i) {
    auto tampered = stored;
    tampered[i] = static_cast<char>(tampered[i] ^ 0x01);
    EXPECT_THROW(cipher_a.decrypt(tampered), std::runtime_error) << i << " " << tampered;
  }
  EXPECT_THROW(cipher_a.decrypt(stored.substr(0, stored.size() - 1)), std::runtime_error);
  EXPECT_THROW(cipher_a.decrypt(stored + "A"), std::runtime_error);
  EXPECT_THROW(cipher_a.decrypt(stored.substr(0, 12)), std::runtime_error);
  EXPECT_THROW(cipher_a.decrypt(""), std::runtime_error);
  EXPECT_THROW(cipher_a.decrypt("v2" + stored.substr(2)), std::runtime_error);
  EXPECT_THROW(cipher_a.decrypt("not encrypted at all"), std::runtime_error);
}

TEST_F(FieldCipherTest, DecryptsUnderAnOldKeyAfterRotation) {
  auto old_stored = cipher_a.encrypt("alice@example.com");
  FieldCipher rotated{key(0xb2), {key(0xa1)}, random};
  EXPECT_EQ(rotated.decrypt(old_stored), "alice@example.com");
  EXPECT_FALSE(rotated.uses_current_key(old_stored));
  auto new_stored = rotated.encrypt("alice@example.com");
  EXPECT_TRUE(rotated.uses_current_key(new_stored));
  EXPECT_NE(new_stored.substr(3, 8), old_stored.substr(3, 8));
  EXPECT_THROW(cipher_a.decrypt(new_stored), std::runtime_error);  // A never knew B
  EXPECT_FALSE(rotated.uses_current_key("garbage"));
}

TEST_F(FieldCipherTest, UnknownKeyIdThrows) {
  FieldCipher other{key(0xc3), {}, random};
  EXPECT_THROW(other.decrypt(cipher_a.encrypt("x")), std::runtime_error);
  auto stored = cipher_a.encrypt("x");
  EXPECT_THROW(cipher_a.decrypt("v1.00000000" + stored.substr(11)), std::runtime_error);
}

TEST_F(FieldCipherTest, BlindIndexIsDeterministicAndKeyDependent) {
  auto index = cipher_a.blind_index("alice@example.com");
  EXPECT_EQ(index.size(), 64u);
  EXPECT_EQ(index.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(index, FieldCipher(key(0xa1), {}, random).blind_index("alice@example.com"));
  EXPECT_NE(index, cipher_a.blind_index("bob@example.com"));
  EXPECT_NE(index, FieldCipher(key(0xb2), {}, random).blind_index("alice@example.com"));
  EXPECT_NE(index, sha256_hex("alice@example.com"));
}

TEST_F(FieldCipherTest, BlindIndexesListCurrentThenOld) {
  FieldCipher rotated{key(0xb2), {key(0xa1), key(0x99)}, random};
  auto indexes = rotated.blind_indexes("alice@example.com");
  ASSERT_EQ(indexes.size(), 3u);
  EXPECT_EQ(indexes[0], rotated.blind_index("alice@example.com"));
  EXPECT_EQ(indexes[1], cipher_a.blind_index("alice@example.com"));
  EXPECT_EQ(indexes[2], FieldCipher(key(0x99), {}, random).blind_index("alice@example.com"));
  EXPECT_EQ(cipher_a.blind_indexes("alice@example.com"),
            std::vector<std::string>{cipher_a.blind_index("alice@example.com")});
}

TEST_F(FieldCipherTest, RefusesBadKeys) {
  EXPECT_THROW(FieldCipher(std::vector<std::uint8_t>(31, 1), {}, random), std::invalid_argument);
  EXPECT_THROW(FieldCipher(std::vector<std::uint8_t>(33, 1), {}, random), std::invalid_argument);
  EXPECT_THROW(FieldCipher({}, {}, random), std::invalid_argument);
  EXPECT_THROW(FieldCipher(key(1), {std::vector<std::uint8_t>(16, 2)}, random), std::invalid_argument);
  EXPECT_THROW(FieldCipher(key(1), {key(1)}, random), std::invalid_argument);
  EXPECT_THROW(FieldCipher(key(1), {key(2), key(2)}, random), std::invalid_argument);
}
