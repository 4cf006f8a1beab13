#include <gtest/gtest.h>

#include <set>
#include <stdexcept>
#include <string>

#include "security/base64.hpp"
#include "security/secure_token.hpp"

using mercato::security::base64url_decode;
using mercato::security::random_token;
using mercato::security::SystemRandom;
using mercato::security::token_digest;

TEST(SecureToken, LengthAndCharset) {
  SystemRandom random;
  auto token = random_token(random);
  EXPECT_EQ(token.size(), 43u);
  EXPECT_EQ(token.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
            std::string::npos)
      << token;
  auto raw = base64url_decode(token);
  ASSERT_TRUE(raw);
  EXPECT_EQ(raw->size(), 32u);
  EXPECT_EQ(random_token(random, 16).size(), 22u);
  EXPECT_EQ(random_token(random, 48).size(), 64u);
}

TEST(SecureToken, RefusesFewerThan128Bits) {
  SystemRandom random;
  EXPECT_THROW(random_token(random, 15), std::invalid_argument);
  EXPECT_THROW(random_token(random, 0), std::invalid_argument);
}

TEST(SecureToken, UniqueOverAThousand) {
  SystemRandom random;
  std::set<std::string> tokens;
  for (int i = 0; i < 1000; ++i) tokens.insert(random_token(random));
  EXPECT_EQ(tokens.size(), 1000u);
}

TEST(SecureToken, DigestIsSha256Hex) {
  EXPECT_EQ(token_digest("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  SystemRandom random;
  auto token = random_token(random);
  EXPECT_EQ(token_digest(token), token_digest(token));
  EXPECT_EQ(token_digest(token).size(), 64u);
  EXPECT_NE(token_digest(token), token_digest(random_token(random)));
}
