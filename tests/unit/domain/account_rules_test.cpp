#include <gtest/gtest.h>

#include "domain/accounts/account_rules.hpp"

using namespace mercato::domain;

TEST(AccountRules, NormalisesEmails) {
  EXPECT_EQ(normalize_email("  Ada@Example.COM\t"), "ada@example.com");
  EXPECT_EQ(normalize_email(""), "");
}

TEST(AccountRules, RecognisesPlausibleEmails) {
  for (auto good : {"a@b.co", "ada.lovelace+shop@example.com", "x@sub.example.org"})
    EXPECT_TRUE(is_valid_email(good)) << good;
  for (auto bad : {"", "ada", "@example.com", "ada@", "ada@example", "a@@b.co", "a b@c.de", "ada@example.",
                   "ada@.example.com", "ada@exa..mple.com"})
    EXPECT_FALSE(is_valid_email(bad)) << bad;
  EXPECT_FALSE(is_valid_email(std::string(250, 'a') + "@b.co"));
}

TEST(AccountRules, PasswordsAre8To72BytesWithoutNul) {
  EXPECT_FALSE(is_valid_password(std::string(7, 'x')));
  EXPECT_TRUE(is_valid_password(std::string(8, 'x')));
  EXPECT_TRUE(is_valid_password(std::string(72, 'x')));
  EXPECT_FALSE(is_valid_password(std::string(73, 'x')));
  EXPECT_FALSE(is_valid_password(std::string("abcd\0efgh", 9)));
}
