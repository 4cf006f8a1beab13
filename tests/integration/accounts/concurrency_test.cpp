// Races the accounts rules must survive: one refresh token presented twice at once, one
// email registered twice at once, two admins demoting each other at once.
// Requests go through call_from, which (unlike AppHarness::call) leaves the clock alone, so
// the threads share nothing but the application.

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <thread>

#include "integration/accounts/accounts_test_support.hpp"

using namespace mercato;
using namespace mercato::testing::accounts;
using mercato::testing::AppHarness;

namespace {

class AccountsConcurrencyTest : public mercato::testing::BackendTest {};

// Runs `request(i)` on `n` threads released together; the responses in thread order.
template <typename Request>
std::vector<http::Response> at_once(int n, Request request) {
  std::vector<http::Response> responses(static_cast<std::size_t>(n));
  std::atomic<int> ready{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < n; ++i)
    threads.emplace_back([&, i] {
      ready.fetch_add(1);
      while (ready.load() < n) std::this_thread::yield();
      responses[static_cast<std::size_t>(i)] = request(i);
    });
  for (auto& t : threads) t.join();
  return responses;
}

std::map<int, int> status_counts(const std::vector<http::Response>& responses) {
  std::map<int, int> out;
  for (const auto& r : responses) ++out[r.status];
  return out;
}

std::int64_t enabled_admins(db::Database& database) {
  auto lease = database.acquire();
  return lease->execute("SELECT COUNT(*) FROM users WHERE role = 'admin' AND disabled = $1", {false}).rows.at(0).int64(0);
}

}  // namespace

TEST_P(AccountsConcurrencyTest, OneRefreshTokenPresentedTwiceAtOnceIsSpentOnce) {
  AppHarness app(database(), accounts_config());
  register_user(app, "ada@example.com", "password1");
  for (int round = 0; round < 5; ++round) {
    auto session = login(app, "ada@example.com", "password1");
    auto responses = at_once(4, [&](int) {
      return call_from(app, "127.0.0.1", http::Method::post, "/api/auth/refresh-token",
                       json({{"refresh_token", session.refresh_token}}));
    });
    auto counts = status_counts(responses);
    ASSERT_EQ(counts[200], 1) << "round " << round;
    ASSERT_EQ(counts[401], 3) << "round " << round;
    for (const auto& r : responses) {
      if (r.status == 200) {
        // The replays revoked the family: the winner's new tokens are dead too.
        EXPECT_EQ(refresh(app, str(body_of(r).at("refresh_token"))).status, 401);
        EXPECT_EQ(me(app, str(body_of(r).at("access_token"))).status, 401);
      } else {
        // The first replay finds the token spent; later ones may find the family revoked.
        auto code = code_of(r);
        EXPECT_TRUE(code == "refresh_token_reused" || code == "invalid_refresh_token") << code;
      }
    }
    EXPECT_GE(std::count_if(responses.begin(), responses.end(),
                            [](const http::Response& r) { return r.status == 401 && code_of(r) == "refresh_token_reused"; }),
              1);
  }
}

// BUG on PostgreSQL (src/db/accounts/sql_user_repository.cpp, SqlUserRepository::insert):
// the unique violation of a racing INSERT is caught and turned into `false` inside the
// transaction, but PostgreSQL has aborted that transaction, so the COMMIT that follows
// throws ("COMMIT rolled back a transaction that an earlier error had aborted") and the
// loser gets 500 instead of 409 email_taken.
TEST_P(AccountsConcurrencyTest, OneEmailRegisteredTwiceAtOnceMakesOneAccountAndAnswers409) {
  AppHarness app(database(), accounts_config());
  for (int round = 0; round < 5; ++round) {
    auto email = "racer" + std::to_string(round) + "@example.com";
    auto responses = at_once(4, [&](int i) {
      return call_from(app, "127.0.0.1", http::Method::post, "/api/auth/register",
                       json({{"email", i % 2 ? email : lower(email)}, {"password", "password1"}}));
    });
    auto counts = status_counts(responses);
    EXPECT_EQ(counts[201], 1) << "round " << round;
    EXPECT_EQ(counts[409], 3) << "round " << round;
    for (const auto& r : responses) {
      if (r.status != 201) {
        EXPECT_EQ(code_of(r), "email_taken") << r.body;
      }
    }
  }
  auto lease = database().acquire();
  EXPECT_EQ(lease->execute("SELECT COUNT(*) FROM users").rows.at(0).int64(0), 5);
}

TEST_P(AccountsConcurrencyTest, TwoAdminsDemotingEachOtherAtOnceLeaveOneAdmin) {
  AppHarness app(database(), accounts_config());
  auto a = admin_session(app, "a@admin.example", "admin-password-1");
  auto b = admin_session(app, "b@admin.example", "admin-password-2");
  for (int round = 0; round < 5; ++round) {
    ASSERT_EQ(enabled_admins(database()), 2) << "round " << round;
    auto responses = at_once(2, [&](int i) {
      const auto& self = i == 0 ? a : b;
      const auto& other = i == 0 ? b : a;
      return call_from(app, "127.0.0.1", http::Method::patch, "/api/users/" + other.user_id,
                       json({{"role", "customer"}}), bearer(self.access_token));
    });
    auto counts = status_counts(responses);
    EXPECT_EQ(counts[200], 1) << "round " << round << ": " << responses[0].body << " / " << responses[1].body;
    ASSERT_EQ(enabled_admins(database()), 1) << "round " << round;
    // The survivor promotes the other back for the next round.
    bool a_won = responses[0].status == 200;
    const auto& winner = a_won ? a : b;
    const auto& loser = a_won ? b : a;
    auto back = call_from(app, "127.0.0.1", http::Method::patch, "/api/users/" + loser.user_id,
                          json({{"role", "admin"}}), bearer(winner.access_token));
    ASSERT_EQ(back.status, 200) << back.body;
  }
}

MERCATO_ACCOUNTS_BACKENDS(AccountsConcurrencyTest);
