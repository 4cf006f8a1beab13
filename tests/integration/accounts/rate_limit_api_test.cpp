// Rate limits through the API: RATE_LIMIT_PER_MINUTE, AUTH_RATE_LIMIT_PER_MINUTE per client
// IP on the sensitive routes, LOGIN_FAILURES_PER_ACCOUNT whatever the IP. Time is the FixedClock.

#include <gtest/gtest.h>

#include <chrono>

#include "integration/accounts/accounts_test_support.hpp"

using namespace mercato;
using namespace mercato::testing::accounts;
using mercato::testing::AppHarness;
using namespace std::chrono_literals;

namespace {

class AccountsRateLimitTest : public mercato::testing::BackendTest {};

app::Config auth_limit(int per_minute) {
  auto config = AppHarness::default_config();
  config.auth_rate_limit_per_minute = per_minute;
  return config;
}

http::Response login_from(AppHarness& app, const std::string& ip, std::string_view email, std::string_view password,
                          http::Headers h = {}) {
  return call_from(app, ip, http::Method::post, "/api/auth/login", json({{"email", email}, {"password", password}}),
                   std::move(h));
}

void expect_rate_limited(const http::Response& r, const std::string& retry_after, const std::string& what) {
  EXPECT_EQ(r.status, 429) << what << ": " << r.body;
  EXPECT_EQ(code_of(r), "rate_limited") << what;
  EXPECT_EQ(r.headers.get("Retry-After"), retry_after) << what;
  EXPECT_EQ(r.headers.get("Content-Type"), "application/problem+json") << what;
}

}  // namespace

TEST_P(AccountsRateLimitTest, FourthLoginFromOneIpIs429ThenRecovers) {
  AppHarness app(database(), auth_limit(3));
  ASSERT_EQ(call_from(app, "192.0.2.10", http::Method::post, "/api/auth/register",
                      json({{"email", "ada@example.com"}, {"password", "password1"}}))
                .status,
            201);
  EXPECT_EQ(login_response(app, "ada@example.com", "wrong-password").status, 401);
  EXPECT_EQ(login_response(app, "ada@example.com", "wrong-password").status, 401);
  auto third = login_response(app, "ada@example.com", "password1");
  ASSERT_EQ(third.status, 200);
  auto access = str(body_of(third).at("access_token"));

  expect_rate_limited(login_response(app, "ada@example.com", "password1"), "20", "4th login");
  // X-Forwarded-For from a peer that is not a trusted proxy changes nothing.
  expect_rate_limited(login_from(app, "127.0.0.1", "ada@example.com", "password1",
                                 headers({{"X-Forwarded-For", "203.0.113.77"}})),
                      "20", "spoofed X-Forwarded-For");
  // Other clients and other routes are unaffected.
  EXPECT_EQ(login_from(app, "198.51.100.7", "ada@example.com", "password1").status, 200);
  EXPECT_EQ(me(app, access).status, 200);

  app.clock().advance(19s);
  expect_rate_limited(login_response(app, "ada@example.com", "password1"), "1", "after 19 s");
  app.clock().advance(41s);  // 60 s after the limit was hit: the bucket is full again
  for (int i = 0; i < 3; ++i) EXPECT_EQ(login_response(app, "ada@example.com", "password1").status, 200) << i;
  EXPECT_EQ(login_response(app, "ada@example.com", "password1").status, 429);
}

TEST_P(AccountsRateLimitTest, TrustedProxyForwardsTheClientAddress) {
  auto config = auth_limit(1);
  config.trusted_proxies = {"127.0.0.1"};
  AppHarness app(database(), config);
  auto from = [&](const std::string& client) {
    return login_from(app, "127.0.0.1", "nobody@example.com", "password1", headers({{"X-Forwarded-For", client}}));
  };
  EXPECT_EQ(from("198.51.100.1").status, 401);
  EXPECT_EQ(from("198.51.100.2").status, 401);
  expect_rate_limited(from("198.51.100.1"), "60", "same client behind the proxy");
}

TEST_P(AccountsRateLimitTest, IPv6ClientsAreLimitedPerSlash64) {
  AppHarness app(database(), auth_limit(1));
  auto attempt = [&](const std::string& ip) { return login_from(app, ip, "nobody@example.com", "password1").status; };
  EXPECT_EQ(attempt("2001:db8:1:2::1"), 401);
  EXPECT_EQ(attempt("2001:db8:1:2::2"), 429) << "same /64";
  EXPECT_EQ(attempt("2001:db8:1:3::1"), 401) << "another /64";
  EXPECT_EQ(attempt("2001:db8:1:4:5:6:7:8"), 401) << "another /64";
}

// BUG (src/http/rate_limit/rate_limits.cpp, client_key): the /64 key is cut from the text of
// the address, so one /64 yields two keys: "2001:db8:1:2::/64" from 2001:db8:1:2::1 but
// "2001:db8:1:2:::/64" from 2001:db8:1:2:3:4:5:6 (no "::" within the first four groups), and
// a client of one /64 gets every per-IP limit twice.
TEST_P(AccountsRateLimitTest, IPv6AddressesOfOneSlash64ShareOneBucketWhateverTheirSpelling) {
  AppHarness app(database(), auth_limit(1));
  auto attempt = [&](const std::string& ip) { return login_from(app, ip, "nobody@example.com", "password1").status; };
  EXPECT_EQ(attempt("2001:db8:1:2::1"), 401);
  EXPECT_EQ(attempt("2001:db8:1:2:3:4:5:6"), 429) << "same /64 as 2001:db8:1:2::1";
  EXPECT_EQ(attempt("2001:db8::1"), 401);
  EXPECT_EQ(attempt("2001:db8:0:0:1:1:1:1"), 429) << "same /64 as 2001:db8::1";
  EXPECT_EQ(attempt("2001:db8:5:0:1:2:3:4"), 401);
  EXPECT_EQ(attempt("2001:db8:5::9"), 429) << "same /64 as 2001:db8:5:0:1:2:3:4";
}

TEST_P(AccountsRateLimitTest, EverySensitiveRouteIsLimitedAndOnlyThose) {
  AppHarness app(database(), auth_limit(1));
  ASSERT_EQ(call_from(app, "192.0.2.1", http::Method::post, "/api/auth/register",
                      json({{"email", "ada@example.com"}, {"password", "password1"}}))
                .status,
            201);
  auto session_response = login_from(app, "192.0.2.2", "ada@example.com", "password1");
  ASSERT_EQ(session_response.status, 200);
  auto access = str(body_of(session_response).at("access_token"));

  struct Case {
    std::string path;
    std::string body;
    bool sensitive;
  };
  std::vector<Case> cases{
      {"/api/auth/register", json({{"email", "new@example.com"}, {"password", "password1"}}), true},
      {"/api/auth/login", json({{"email", "ada@example.com"}, {"password", "x"}}), true},
      {"/api/auth/resend-verification", json({{"email", "ada@example.com"}}), true},
      {"/api/auth/forgot-password", json({{"email", "ada@example.com"}}), true},
      {"/api/auth/reset-password", json({{"token", "unknown"}, {"password", "password2"}}), true},
      {"/api/auth/refresh-token", json({{"refresh_token", "unknown"}}), true},
      {"/api/auth/verify-email", json({{"token", "unknown"}}), false},
      {"/api/auth/change-password", json({{"current_password", "x"}, {"new_password", "password2"}}), false},
  };
  int n = 10;
  for (const auto& c : cases) {
    auto ip = "203.0.113." + std::to_string(n++);
    auto first = call_from(app, ip, http::Method::post, c.path, c.body, bearer(access));
    EXPECT_NE(first.status, 429) << c.path;
    auto second = call_from(app, ip, http::Method::post, c.path, c.body, bearer(access));
    if (c.sensitive)
      expect_rate_limited(second, "60", c.path);
    else
      EXPECT_NE(second.status, 429) << c.path;
  }
  // The sensitive routes share one bucket per IP.
  auto ip = std::string("203.0.113.99");
  EXPECT_EQ(call_from(app, ip, http::Method::post, "/api/auth/forgot-password", json({{"email", "a@example.com"}})).status,
            202);
  EXPECT_EQ(login_from(app, ip, "ada@example.com", "password1").status, 429);
}

TEST_P(AccountsRateLimitTest, EveryRouteHasTheGeneralLimit) {
  auto config = AppHarness::default_config();
  config.rate_limit_per_minute = 5;
  AppHarness app(database(), config);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(app.get("/api/health").status, 200) << i;
  expect_rate_limited(app.get("/api/health"), "12", "6th request");
  expect_rate_limited(app.get("/api/auth/me"), "12", "another route, same client");
  EXPECT_EQ(call_from(app, "192.0.2.5", http::Method::get, "/api/health").status, 200);
  app.clock().advance(12s);
  EXPECT_EQ(app.get("/api/health").status, 200);
}

TEST_P(AccountsRateLimitTest, FailedLoginsLockTheAccountWhateverTheIp) {
  auto config = accounts_config();
  config.login_failures_per_account = 3;
  AppHarness app(database(), config);
  register_user(app, "ada@example.com", "password1");
  register_user(app, "bob@example.com", "password1");
  EXPECT_EQ(login_from(app, "192.0.2.1", "ada@example.com", "wrong-1").status, 401);
  EXPECT_EQ(login_from(app, "192.0.2.2", "ADA@example.com", "wrong-2").status, 401);
  EXPECT_EQ(login_from(app, "192.0.2.3", " ada@example.com", "wrong-3").status, 401);

  auto locked = login_from(app, "192.0.2.4", "ada@example.com", "password1");
  EXPECT_EQ(locked.status, 429) << locked.body;
  EXPECT_EQ(code_of(locked), "too_many_attempts");
  EXPECT_EQ(locked.headers.get("Retry-After"), "900");
  EXPECT_EQ(login_from(app, "192.0.2.4", "bob@example.com", "password1").status, 200) << "other accounts are not locked";

  app.clock().advance(14min);
  auto still = login_response(app, "ada@example.com", "password1");
  EXPECT_EQ(still.status, 429);
  EXPECT_EQ(still.headers.get("Retry-After"), "60");
  app.clock().advance(1min);
  EXPECT_EQ(login_response(app, "ada@example.com", "password1").status, 200);
}

// GAP (issue 3, item 10: "tighter buckets for login, register, resend, forgot/reset password
// and refresh (per IP and per account)"): only login failures are counted per account, so
// requests from many IPs can mail one address without limit. Read here as: at most
// AUTH_RATE_LIMIT_PER_MINUTE emails of each kind per account and minute.
TEST_P(AccountsRateLimitTest, ResetAndVerificationEmailsAreLimitedPerAccount) {
  AppHarness app(database(), auth_limit(3));
  ASSERT_EQ(call_from(app, "192.0.2.1", http::Method::post, "/api/auth/register",
                      json({{"email", "ada@example.com"}, {"password", "password1"}}))
                .status,
            201);
  for (int i = 0; i < 20; ++i) {
    auto ip = "198.51.100." + std::to_string(i + 1);
    call_from(app, ip, http::Method::post, "/api/auth/forgot-password", json({{"email", "ada@example.com"}}));
    call_from(app, ip, http::Method::post, "/api/auth/resend-verification", json({{"email", "ada@example.com"}}));
  }
  std::size_t resets = 0, verifications = 0;
  for (const auto& e : app.emails()) {
    ASSERT_EQ(e.to, "ada@example.com");
    (e.text_body.find("/reset-password?token=") != std::string::npos ? resets : verifications)++;
  }
  EXPECT_LE(resets, 3u);
  EXPECT_LE(verifications, 1u + 3u);  // the one sent on registration, then the resends
}

TEST_P(AccountsRateLimitTest, ASuccessfulLoginClearsTheFailures) {
  auto config = accounts_config();
  config.login_failures_per_account = 3;
  AppHarness app(database(), config);
  register_user(app, "ada@example.com", "password1");
  EXPECT_EQ(login_response(app, "ada@example.com", "wrong-1").status, 401);
  EXPECT_EQ(login_response(app, "ada@example.com", "wrong-2").status, 401);
  EXPECT_EQ(login_response(app, "ada@example.com", "password1").status, 200);
  EXPECT_EQ(login_response(app, "ada@example.com", "wrong-3").status, 401);
  EXPECT_EQ(login_response(app, "ada@example.com", "wrong-4").status, 401);
  EXPECT_EQ(login_response(app, "ada@example.com", "password1").status, 200);
}

MERCATO_ACCOUNTS_BACKENDS(AccountsRateLimitTest);
