#include <gtest/gtest.h>

#include <chrono>
#include <stdexcept>
#include <string>

#include "http/rate_limit/failure_counter.hpp"
#include "support/fixed_clock.hpp"

using namespace mercato::http;
using namespace std::chrono_literals;

TEST(FailureCounter, BlocksAtTheThreshold) {
  mercato::testing::FixedClock clock;
  FailureCounter counter(3, 15min, 100, clock);
  EXPECT_FALSE(counter.blocked("ann@example.com"));
  EXPECT_EQ(counter.retry_after_seconds("ann@example.com"), 0);
  counter.record_failure("ann@example.com");
  counter.record_failure("ann@example.com");
  EXPECT_FALSE(counter.blocked("ann@example.com"));
  counter.record_failure("ann@example.com");
  EXPECT_TRUE(counter.blocked("ann@example.com"));
  EXPECT_EQ(counter.retry_after_seconds("ann@example.com"), 900);
  EXPECT_FALSE(counter.blocked("bob@example.com"));
}

TEST(FailureCounter, UnblocksAsTheWindowSlides) {
  mercato::testing::FixedClock clock;
  FailureCounter counter(3, 15min, 100, clock);
  counter.record_failure("k");  // t = 0
  clock.advance(5min);
  counter.record_failure("k");  // t = 5
  clock.advance(5min);
  counter.record_failure("k");  // t = 10
  EXPECT_TRUE(counter.blocked("k"));
  EXPECT_EQ(counter.retry_after_seconds("k"), 300);  // until t = 0 leaves at t = 15
  clock.advance(5min - 500ms);
  EXPECT_EQ(counter.retry_after_seconds("k"), 1);
  clock.advance(500ms);
  EXPECT_FALSE(counter.blocked("k"));
  EXPECT_EQ(counter.retry_after_seconds("k"), 0);
  counter.record_failure("k");  // t = 15: 5, 10 and 15 are in the window
  EXPECT_TRUE(counter.blocked("k"));
  EXPECT_EQ(counter.retry_after_seconds("k"), 300);
}

TEST(FailureCounter, FailuresOutsideTheWindowDoNotCount) {
  mercato::testing::FixedClock clock;
  FailureCounter counter(2, 60s, 100, clock);
  counter.record_failure("k");
  clock.advance(60s);
  counter.record_failure("k");
  EXPECT_FALSE(counter.blocked("k"));
}

TEST(FailureCounter, FailuresWhileBlockedKeepTheNewest) {
  mercato::testing::FixedClock clock;
  FailureCounter counter(3, 15min, 100, clock);
  for (int i = 0; i < 1000; ++i) counter.record_failure("k");
  clock.advance(10min);
  counter.record_failure("k");
  EXPECT_TRUE(counter.blocked("k"));
  clock.advance(5min);
  // The three kept are the two newest from t = 0 and the one at t = 10; t = 0 has left.
  EXPECT_FALSE(counter.blocked("k"));
}

TEST(FailureCounter, ResetClears) {
  mercato::testing::FixedClock clock;
  FailureCounter counter(2, 15min, 100, clock);
  counter.record_failure("k");
  counter.record_failure("k");
  ASSERT_TRUE(counter.blocked("k"));
  counter.reset("k");
  EXPECT_FALSE(counter.blocked("k"));
  EXPECT_EQ(counter.size(), 0u);
  counter.record_failure("k");
  EXPECT_FALSE(counter.blocked("k"));
  counter.reset("never-seen");
}

TEST(FailureCounter, StaysWithinMaxKeysAndEvictsTheOldestUpdated) {
  mercato::testing::FixedClock clock;
  FailureCounter counter(1, 15min, 100, clock);
  counter.record_failure("first");
  for (int i = 0; i < 10'000; ++i) {
    counter.record_failure("user" + std::to_string(i));
    ASSERT_LE(counter.size(), 100u) << i;
    if (i % 50 == 0) counter.record_failure("first");  // recently updated, so it survives
  }
  EXPECT_EQ(counter.size(), 100u);
  EXPECT_TRUE(counter.blocked("first"));
  EXPECT_TRUE(counter.blocked("user9999"));
  EXPECT_FALSE(counter.blocked("user0"));
}

TEST(FailureCounter, RejectsNonPositiveLimits) {
  mercato::testing::FixedClock clock;
  EXPECT_THROW(FailureCounter(0, 15min, 10, clock), std::invalid_argument);
  EXPECT_THROW(FailureCounter(3, 0s, 10, clock), std::invalid_argument);
  EXPECT_THROW(FailureCounter(3, 15min, 0, clock), std::invalid_argument);
}
