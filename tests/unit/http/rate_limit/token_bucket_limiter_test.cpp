#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "http/rate_limit/token_bucket_limiter.hpp"
#include "support/fixed_clock.hpp"

using namespace mercato::http;
using namespace std::chrono_literals;

namespace {

// Takes until refused; returns how many were allowed (stops at a safety cap).
int drain(TokenBucketLimiter& limiter, std::string_view key) {
  int allowed = 0;
  while (allowed < 100'000 && limiter.take(key).allowed) ++allowed;
  return allowed;
}

}  // namespace

TEST(RateLimitTokenBucket, AllowsABurstOfPerMinuteThenRefusesWithRetryAfter) {
  mercato::testing::FixedClock clock;
  TokenBucketLimiter limiter(60, 100, clock);
  for (int i = 0; i < 60; ++i) {
    auto decision = limiter.take("1.2.3.4");
    ASSERT_TRUE(decision.allowed) << i;
    EXPECT_EQ(decision.retry_after_seconds, 0);
  }
  auto refused = limiter.take("1.2.3.4");
  EXPECT_FALSE(refused.allowed);
  EXPECT_GE(refused.retry_after_seconds, 1);
  EXPECT_EQ(refused.retry_after_seconds, 1);  // one token a second
}

TEST(RateLimitTokenBucket, RefillsAtTheSteadyRate) {
  mercato::testing::FixedClock clock;
  TokenBucketLimiter limiter(60, 100, clock);
  EXPECT_EQ(drain(limiter, "k"), 60);
  clock.advance(1s);
  EXPECT_TRUE(limiter.take("k").allowed);
  EXPECT_FALSE(limiter.take("k").allowed);
  clock.advance(999ms);
  EXPECT_FALSE(limiter.take("k").allowed);
  clock.advance(1ms);
  EXPECT_TRUE(limiter.take("k").allowed);
  clock.advance(10s);
  EXPECT_EQ(drain(limiter, "k"), 10);
}

TEST(RateLimitTokenBucket, RefillsFractionalRatesExactly) {
  mercato::testing::FixedClock clock;
  TokenBucketLimiter limiter(120, 100, clock);  // one token every 500 ms
  EXPECT_EQ(drain(limiter, "k"), 120);
  for (int i = 0; i < 10; ++i) {
    clock.advance(500ms);
    EXPECT_TRUE(limiter.take("k").allowed) << i;
    EXPECT_FALSE(limiter.take("k").allowed) << i;
  }
  // 7 a minute does not divide a minute evenly: 60 s still brings back exactly 7.
  TokenBucketLimiter odd(7, 100, clock);
  EXPECT_EQ(drain(odd, "k"), 7);
  clock.advance(60s);
  EXPECT_EQ(drain(odd, "k"), 7);
}

TEST(RateLimitTokenBucket, RetryAfterCountsDownToTheNextToken) {
  mercato::testing::FixedClock clock;
  TokenBucketLimiter limiter(6, 100, clock);  // one token every 10 s
  EXPECT_EQ(drain(limiter, "k"), 6);
  EXPECT_EQ(limiter.take("k").retry_after_seconds, 10);
  clock.advance(3s);
  EXPECT_EQ(limiter.take("k").retry_after_seconds, 7);
  clock.advance(6500ms);
  EXPECT_EQ(limiter.take("k").retry_after_seconds, 1);  // 0.5 s rounds up, never 0
  clock.advance(500ms);
  EXPECT_TRUE(limiter.take("k").allowed);
}

TEST(RateLimitTokenBucket, NeverHoldsMoreThanOneBurst) {
  mercato::testing::FixedClock clock;
  TokenBucketLimiter limiter(60, 100, clock);
  EXPECT_EQ(drain(limiter, "k"), 60);
  clock.advance(24h);
  EXPECT_EQ(drain(limiter, "k"), 60);
}

TEST(RateLimitTokenBucket, ClockSteppingBackAddsNothing) {
  mercato::testing::FixedClock clock;
  TokenBucketLimiter limiter(60, 100, clock);
  EXPECT_EQ(drain(limiter, "k"), 60);
  clock.advance(-1h);
  EXPECT_FALSE(limiter.take("k").allowed);
  clock.advance(1h + 1s);
  EXPECT_EQ(drain(limiter, "k"), 1);
}

TEST(RateLimitTokenBucket, KeysAreIndependent) {
  mercato::testing::FixedClock clock;
  TokenBucketLimiter limiter(5, 100, clock);
  EXPECT_EQ(drain(limiter, "a"), 5);
  EXPECT_FALSE(limiter.take("a").allowed);
  EXPECT_EQ(drain(limiter, "b"), 5);
}

TEST(RateLimitTokenBucket, StaysWithinMaxKeysUnderManyDistinctKeys) {
  mercato::testing::FixedClock clock;
  TokenBucketLimiter limiter(60, 1000, clock);
  for (int i = 0; i < 10'000; ++i) {
    ASSERT_TRUE(limiter.take("10.0." + std::to_string(i / 256) + "." + std::to_string(i % 256)).allowed);
    ASSERT_LE(limiter.size(), 1000u) << i;
  }
  EXPECT_EQ(limiter.size(), 1000u);
}

TEST(RateLimitTokenBucket, EvictsAFullBucketBeforeAnEmptierLeastRecentlyUsedOne) {
  mercato::testing::FixedClock clock;
  TokenBucketLimiter limiter(60, 3, clock);
  EXPECT_EQ(drain(limiter, "drained"), 60);  // least recently used, and owes tokens
  limiter.take("x");
  limiter.take("y");
  clock.advance(2s);  // x and y are full again; drained has 2 tokens
  EXPECT_TRUE(limiter.take("z").allowed);
  EXPECT_EQ(limiter.size(), 3u);
  EXPECT_EQ(drain(limiter, "drained"), 2);  // kept its debt
  // Whichever full bucket went, coming back it behaves as if it never left.
  EXPECT_EQ(drain(limiter, "x"), 60);
  EXPECT_EQ(limiter.size(), 3u);
}

TEST(RateLimitTokenBucket, EvictsTheLeastRecentlyUsedWhenNoneIsFull) {
  mercato::testing::FixedClock clock;
  TokenBucketLimiter limiter(60, 2, clock);
  EXPECT_EQ(drain(limiter, "a"), 60);
  EXPECT_EQ(drain(limiter, "b"), 60);
  EXPECT_TRUE(limiter.take("c").allowed);  // a goes: neither is full and a was used longest ago
  EXPECT_FALSE(limiter.take("b").allowed);
  EXPECT_EQ(limiter.size(), 2u);
}

TEST(RateLimitTokenBucket, ConcurrentTakesNeverExceedCapacity) {
  mercato::testing::FixedClock clock;
  TokenBucketLimiter limiter(100, 1000, clock);
  std::atomic<int> allowed{0};
  {
    std::vector<std::jthread> threads;
    threads.reserve(4);
    for (int t = 0; t < 4; ++t)
      threads.emplace_back([&] {
        for (int i = 0; i < 100; ++i)
          if (limiter.take("shared").allowed) allowed.fetch_add(1);
      });
  }
  EXPECT_EQ(allowed.load(), 100);
}

TEST(RateLimitTokenBucket, RejectsNonPositiveLimits) {
  mercato::testing::FixedClock clock;
  EXPECT_THROW(TokenBucketLimiter(0, 10, clock), std::invalid_argument);
  EXPECT_THROW(TokenBucketLimiter(-5, 10, clock), std::invalid_argument);
  EXPECT_THROW(TokenBucketLimiter(10, 0, clock), std::invalid_argument);
}

TEST(RateLimitTokenBucket, ConcurrentDistinctKeysStayWithinMaxKeys) {
  mercato::testing::FixedClock clock;
  TokenBucketLimiter limiter(10, 256, clock);  // 4 shards of 64, evicting all the time
  {
    std::vector<std::jthread> threads;
    threads.reserve(4);
    for (int t = 0; t < 4; ++t)
      threads.emplace_back([&, t] {
        for (int i = 0; i < 5'000; ++i) limiter.take(std::to_string(t) + ":" + std::to_string(i % 700));
      });
  }
  EXPECT_LE(limiter.size(), 256u);
}
