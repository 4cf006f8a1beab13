#include <gtest/gtest.h>

#include <set>

#include "security/uuid.hpp"
#include "support/fixed_clock.hpp"

using mercato::security::is_uuid;
using mercato::security::SystemRandom;
using mercato::security::uuid_v7;

TEST(UuidV7, HasVersionVariantAndTimestamp) {
  mercato::testing::FixedClock clock{std::chrono::system_clock::time_point{std::chrono::milliseconds{0x0123456789ab}}};
  SystemRandom random;
  auto id = uuid_v7(clock, random);
  ASSERT_TRUE(is_uuid(id)) << id;
  EXPECT_EQ(id.substr(0, 13), "01234567-89ab");
  EXPECT_EQ(id[14], '7');
  EXPECT_NE(std::string("89ab").find(id[19]), std::string::npos);
}

TEST(UuidV7, LaterTimeSortsLaterAndIdsAreUnique) {
  mercato::testing::FixedClock clock;
  SystemRandom random;
  auto first = uuid_v7(clock, random);
  clock.advance(std::chrono::milliseconds{1});
  auto second = uuid_v7(clock, random);
  EXPECT_LT(first, second);
  std::set<std::string> ids;
  for (int i = 0; i < 1000; ++i) ids.insert(uuid_v7(clock, random));
  EXPECT_EQ(ids.size(), 1000u);
}

TEST(UuidV7, RecognisesCanonicalFormOnly) {
  EXPECT_TRUE(is_uuid("0190a6e5-7b7c-7c3e-9f1a-2b3c4d5e6f70"));
  EXPECT_FALSE(is_uuid("0190a6e5-7b7c-7c3e-9f1a-2b3c4d5e6f7"));
  EXPECT_FALSE(is_uuid("0190a6e5x7b7c-7c3e-9f1a-2b3c4d5e6f70"));
  EXPECT_FALSE(is_uuid("0190a6e5-7b7c-7c3e-9f1a-2b3c4d5e6f7g"));
  EXPECT_FALSE(is_uuid("' OR 1=1 --"));
}
