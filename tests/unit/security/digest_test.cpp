#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "security/digest.hpp"

using mercato::security::byte_view;
using mercato::security::constant_time_equal;
using mercato::security::hmac_sha256;
using mercato::security::hmac_sha256_hex;
using mercato::security::sha256;
using mercato::security::sha256_hex;
using mercato::security::to_hex;

TEST(Sha256, KnownAnswers) {  // FIPS 180-2 appendix B.1, and the empty message
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  auto raw = sha256("abc");
  EXPECT_EQ(raw[0], 0xba);
  EXPECT_EQ(raw[31], 0xad);
  EXPECT_EQ(to_hex(raw), sha256_hex("abc"));
}

TEST(HmacSha256, Rfc4231TestCases) {
  std::vector<std::uint8_t> key1(20, 0x0b);
  EXPECT_EQ(hmac_sha256_hex(key1, "Hi There"), "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  EXPECT_EQ(hmac_sha256_hex(byte_view("Jefe"), "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  std::vector<std::uint8_t> key6(131, 0xaa);  // longer than a block: hashed first
  EXPECT_EQ(hmac_sha256_hex(key6, "Test Using Larger Than Block-Size Key - Hash Key First"),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
  EXPECT_EQ(to_hex(hmac_sha256(key1, "Hi There")), hmac_sha256_hex(key1, "Hi There"));
}

TEST(HmacSha256, AcceptsEmptyKeyAndEmptyData) {
  std::vector<std::uint8_t> empty;
  EXPECT_EQ(hmac_sha256_hex(empty, "").size(), 64u);
  EXPECT_NE(hmac_sha256_hex(empty, ""), hmac_sha256_hex(byte_view("k"), ""));
}

TEST(HmacSha256, ConstantTimeEqualComparesLengthAndContent) {
  EXPECT_TRUE(constant_time_equal("", ""));
  EXPECT_TRUE(constant_time_equal("abc", "abc"));
  EXPECT_FALSE(constant_time_equal("abc", "abd"));
  EXPECT_FALSE(constant_time_equal("abc", "ab"));
  EXPECT_FALSE(constant_time_equal("ab", "abc"));
  EXPECT_FALSE(constant_time_equal("", "a"));
  EXPECT_TRUE(constant_time_equal(std::string_view("a\0b", 3), std::string_view("a\0b", 3)));
  EXPECT_FALSE(constant_time_equal(std::string_view("a\0b", 3), std::string_view("a\0c", 3)));
}
