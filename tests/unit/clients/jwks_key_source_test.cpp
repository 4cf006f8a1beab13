// JwksKeySource: lazy, cached, refetched on an unknown kid at most once a minute and after
// a day, 503-worthy only when it holds no keys at all, one fetch for many waiting threads.

#include <gtest/gtest.h>

#include <atomic>
#include <sstream>
#include <thread>

#include "clients/jwks_key_source.hpp"
#include "support/fake_http_client.hpp"
#include "support/fixed_clock.hpp"
#include "support/rsa_test_keys.hpp"

using namespace mercato;
using Status = security::KeyLookup::Status;
using mercato::testing::shared_rsa_key;

namespace {

class JwksKeySourceTest : public ::testing::Test {
 protected:
  JwksKeySourceTest() : log_(out_, observability::LogLevel::debug, clock_) {
    http_.reply_with(200, mercato::testing::jwks_document({shared_rsa_key(0).jwk("k0")}));
  }

  std::ostringstream out_;
  mercato::testing::FixedClock clock_;
  observability::Logger log_;
  mercato::testing::FakeHttpClient http_;
  clients::JwksKeySource source_{"https://idp.example/jwks.json", http_, clock_, log_};
};

TEST_F(JwksKeySourceTest, FetchesOnFirstUseOnlyAndCaches) {
  EXPECT_EQ(http_.calls(), 0);
  auto found = source_.find("k0");
  ASSERT_EQ(found.status, Status::found);
  ASSERT_NE(found.keys, nullptr);
  EXPECT_NE(found.keys->find("k0"), nullptr);
  EXPECT_EQ(http_.last_url(), "https://idp.example/jwks.json");
  clock_.advance(std::chrono::hours{23});
  EXPECT_EQ(source_.find("k0").status, Status::found);
  EXPECT_EQ(http_.calls(), 1);
}

TEST_F(JwksKeySourceTest, AnUnknownKidRefetchesAtMostOnceAMinute) {
  ASSERT_EQ(source_.find("k0").status, Status::found);
  EXPECT_EQ(source_.find("k1").status, Status::unknown_kid);
  EXPECT_EQ(http_.calls(), 1) << "the first fetch was under a minute ago";
  clock_.advance(std::chrono::seconds{60});
  http_.reply_with(200, mercato::testing::jwks_document({shared_rsa_key(0).jwk("k0"), shared_rsa_key(1).jwk("k1")}));
  EXPECT_EQ(source_.find("k1").status, Status::found);
  EXPECT_EQ(http_.calls(), 2);
  clock_.advance(std::chrono::seconds{59});
  EXPECT_EQ(source_.find("k9").status, Status::unknown_kid);
  EXPECT_EQ(http_.calls(), 2);
}

TEST_F(JwksKeySourceTest, DayOldKeysAreRefetched) {
  ASSERT_EQ(source_.find("k0").status, Status::found);
  clock_.advance(std::chrono::hours{24});
  http_.reply_with(200, mercato::testing::jwks_document({shared_rsa_key(1).jwk("k1")}));
  EXPECT_EQ(source_.find("k0").status, Status::unknown_kid) << "the new set no longer has k0";
  EXPECT_EQ(http_.calls(), 2);
}

TEST_F(JwksKeySourceTest, DayOldKeysServeWhileTheProviderIsDown) {
  ASSERT_EQ(source_.find("k0").status, Status::found);
  clock_.advance(std::chrono::hours{25});
  http_.fail_transport();
  EXPECT_EQ(source_.find("k0").status, Status::found);
  EXPECT_EQ(http_.calls(), 2);
  EXPECT_NE(out_.str().find("jwks_fetch_failed"), std::string::npos);
}

TEST_F(JwksKeySourceTest, NoKeysAndNoAnswerIsUnavailableWithARetryTime) {
  http_.fail_transport();
  auto lookup = source_.find("k0");
  EXPECT_EQ(lookup.status, Status::unavailable);
  EXPECT_GE(lookup.retry_after_seconds, 1);
  EXPECT_LE(lookup.retry_after_seconds, 5);
  EXPECT_EQ(source_.find("k0").status, Status::unavailable);
  EXPECT_EQ(http_.calls(), 1) << "no retry within the back-off";
  clock_.advance(std::chrono::seconds{5});
  http_.reply_with(200, mercato::testing::jwks_document({shared_rsa_key(0).jwk("k0")}));
  EXPECT_EQ(source_.find("k0").status, Status::found);
  EXPECT_EQ(http_.calls(), 2);
}

TEST_F(JwksKeySourceTest, ADocumentThatIsNotAKeySetCountsAsAFailure) {
  http_.reply_with(200, "<html>maintenance</html>");
  EXPECT_EQ(source_.find("k0").status, Status::unavailable);
  http_.reply_with(404, R"({"keys":[]})");
  clock_.advance(std::chrono::seconds{5});
  EXPECT_EQ(source_.find("k0").status, Status::unavailable);
}

TEST_F(JwksKeySourceTest, ManyThreadsOnAColdCacheMakeOneFetch) {
  constexpr int n = 8;
  std::atomic<int> ready{0}, found{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < n; ++i)
    threads.emplace_back([&] {
      ready.fetch_add(1);
      while (ready.load() < n) std::this_thread::yield();
      if (source_.find("k0").status == Status::found) found.fetch_add(1);
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(found.load(), n);
  EXPECT_EQ(http_.calls(), 1);
}

}  // namespace
