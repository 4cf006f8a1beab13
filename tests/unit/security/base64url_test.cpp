#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "security/base64.hpp"

using mercato::security::base64url_decode;
using mercato::security::base64url_encode;

namespace {

std::string enc(std::string_view s) {
  return base64url_encode({reinterpret_cast<const std::uint8_t*>(s.data()), s.size()});
}

}  // namespace

TEST(Base64Url, KnownVectorsWithoutPadding) {  // RFC 4648 §10, padding dropped
  EXPECT_EQ(enc(""), "");
  EXPECT_EQ(enc("f"), "Zg");
  EXPECT_EQ(enc("fo"), "Zm8");
  EXPECT_EQ(enc("foo"), "Zm9v");
  EXPECT_EQ(enc("foobar"), "Zm9vYmFy");
  std::vector<std::uint8_t> high{0xfb, 0xff};  // "+/8=" in the standard alphabet
  EXPECT_EQ(base64url_encode(high), "-_8");
}

TEST(Base64Url, RoundTripsEveryLengthAndByte) {
  for (std::size_t length = 0; length <= 66; ++length) {
    std::vector<std::uint8_t> bytes(length);
    for (std::size_t i = 0; i < length; ++i) bytes[i] = static_cast<std::uint8_t>(i * 37 + length * 11 + 0xa5);
    auto text = base64url_encode(bytes);
    EXPECT_EQ(text.find_first_of("+/="), std::string::npos) << text;
    auto decoded = base64url_decode(text);
    ASSERT_TRUE(decoded) << text;
    EXPECT_EQ(*decoded, bytes);
  }
  auto decoded = base64url_decode("-_8");
  ASSERT_TRUE(decoded);
  EXPECT_EQ(*decoded, (std::vector<std::uint8_t>{0xfb, 0xff}));
}

TEST(Base64Url, RejectsPaddingStandardAlphabetAndGarbage) {
  EXPECT_FALSE(base64url_decode("Zg=="));
  EXPECT_FALSE(base64url_decode("Zm8="));
  EXPECT_FALSE(base64url_decode("Zm9v===="));
  EXPECT_FALSE(base64url_decode("+_8"));
  EXPECT_FALSE(base64url_decode("-/8"));
  EXPECT_FALSE(base64url_decode("Zm9vY"));  // a length of 4n+1 cannot encode anything
  EXPECT_FALSE(base64url_decode(" Zm9v"));
  EXPECT_FALSE(base64url_decode("Zm9v\n"));
  EXPECT_FALSE(base64url_decode("Zm.v"));
  EXPECT_FALSE(base64url_decode(std::string_view("Zm\0v", 4)));
  EXPECT_TRUE(base64url_decode(""));
}

TEST(Base64Url, RejectsNonCanonicalTrailingBits) {
  ASSERT_TRUE(base64url_decode("Zg"));
  EXPECT_FALSE(base64url_decode("Zh"));   // 'h' leaves a low bit set after the last byte
  EXPECT_FALSE(base64url_decode("Zm9"));  // "fo" is "Zm8"
  ASSERT_TRUE(base64url_decode("Zm8"));
}
