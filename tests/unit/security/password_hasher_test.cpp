#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "security/password_hasher.hpp"

using mercato::security::PasswordHasher;
using mercato::security::SystemRandom;

namespace {

// Cost 4 is bcrypt's minimum: fast enough for unit tests.
struct PasswordHasherTest : ::testing::Test {
  SystemRandom random;
  PasswordHasher hasher{4, random};
};

}  // namespace

TEST(Bcrypt, OpenwallKnownVectors) {  // crypt_blowfish wrapper.c; $2b$ equals $2a$ for these
  SystemRandom random;
  PasswordHasher hasher{4, random};
  EXPECT_TRUE(hasher.verify("U*U", "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW"));
  EXPECT_TRUE(hasher.verify("U*U", "$2b$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW"));
  EXPECT_TRUE(hasher.verify("U*U*", "$2a$05$CCCCCCCCCCCCCCCCCCCCC.VGOzA784oUp/Z0DY336zx7pLYAy0lwK"));
  EXPECT_TRUE(hasher.verify("U*U*U", "$2a$05$XXXXXXXXXXXXXXXXXXXXXOAcXxm9kjPGEMsLznoKqmqw7tc8WCx4a"));
  EXPECT_FALSE(hasher.verify("U*U*", "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW"));
}

TEST_F(PasswordHasherTest, HashCarriesPrefixAndCost) {
  auto stored = hasher.hash("correct horse battery staple");
  EXPECT_EQ(stored.substr(0, 7), "$2b$04$");
  EXPECT_EQ(stored.size(), 60u);
  SystemRandom other_random;
  EXPECT_EQ(PasswordHasher(5, other_random).hash("password").substr(0, 7), "$2b$05$");
}

TEST_F(PasswordHasherTest, VerifiesRightAndRejectsWrongPassword) {
  auto stored = hasher.hash("correct horse battery staple");
  EXPECT_TRUE(hasher.verify("correct horse battery staple", stored));
  EXPECT_FALSE(hasher.verify("correct horse battery stapl", stored));
  EXPECT_FALSE(hasher.verify("Correct horse battery staple", stored));
  EXPECT_FALSE(hasher.verify("", stored));
}

TEST_F(PasswordHasherTest, SamePasswordHashesDifferently) {
  EXPECT_NE(hasher.hash("password1"), hasher.hash("password1"));
}

TEST_F(PasswordHasherTest, AcceptsSeventyTwoBytesAndRefusesMore) {
  std::string longest(72, 'x');
  auto stored = hasher.hash(longest);
  EXPECT_TRUE(hasher.verify(longest, stored));
  EXPECT_FALSE(hasher.verify(longest + "y", stored));  // bcrypt would have truncated to a match
  EXPECT_THROW(hasher.hash(std::string(73, 'x')), std::invalid_argument);
  EXPECT_THROW(hasher.hash(""), std::invalid_argument);
  EXPECT_THROW(hasher.hash(std::string_view("pass\0word", 9)), std::invalid_argument);
  EXPECT_FALSE(hasher.verify(std::string_view("pass\0word", 9), hasher.hash("pass")));
}

TEST_F(PasswordHasherTest, TamperedOrMalformedHashFails) {
  auto stored = hasher.hash("password1");
  for (std::size_t i : {std::size_t{10}, std::size_t{40}, stored.size() - 1}) {
    auto tampered = stored;
    tampered[i] = tampered[i] == 'a' ? 'b' : 'a';
    EXPECT_FALSE(hasher.verify("password1", tampered)) << tampered;
  }
  EXPECT_FALSE(hasher.verify("password1", ""));
  EXPECT_FALSE(hasher.verify("password1", "*0"));
  EXPECT_FALSE(hasher.verify("password1", stored.substr(0, 59)));
  EXPECT_FALSE(hasher.verify("password1", stored + "x"));
  EXPECT_FALSE(hasher.verify("password1", "$2b$04$short"));
  EXPECT_FALSE(hasher.verify("password1", "$2b$99$" + stored.substr(7)));
  // Only bcrypt is accepted: crypt() would happily check this traditional DES hash of "U*U".
  EXPECT_FALSE(hasher.verify("U*U", "gapjwtMb20F0c"));
}

TEST_F(PasswordHasherTest, DummyHashIsAValidHashOfNothingGuessable) {
  auto dummy = hasher.dummy_hash();
  EXPECT_EQ(dummy.substr(0, 7), "$2b$04$");
  EXPECT_EQ(dummy.size(), 60u);
  EXPECT_EQ(hasher.dummy_hash(), dummy);
  EXPECT_FALSE(hasher.verify("password1", dummy));
  EXPECT_FALSE(hasher.verify("", dummy));
}

TEST_F(PasswordHasherTest, RefusesCostOutsideBcryptRange) {
  EXPECT_THROW(PasswordHasher(3, random), std::invalid_argument);
  EXPECT_THROW(PasswordHasher(32, random), std::invalid_argument);
  EXPECT_EQ(hasher.cost(), 4);
}

TEST_F(PasswordHasherTest, ConcurrentCallsShareNothing) {
  std::vector<std::thread> threads;
  threads.reserve(4);
  std::vector<int> ok(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      auto password = "password-" + std::to_string(t);
      for (int i = 0; i < 5; ++i) ok[t] += hasher.verify(password, hasher.hash(password)) ? 1 : 0;
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(ok, std::vector<int>(4, 5));
}
