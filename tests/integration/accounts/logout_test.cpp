// POST /api/auth/logout (API.md, Authentication).

#include <gtest/gtest.h>

#include "integration/accounts/accounts_test_support.hpp"

using namespace mercato;
using namespace mercato::testing::accounts;
using mercato::testing::AppHarness;

namespace {

class AccountsLogoutTest : public mercato::testing::BackendTest {};

std::string set_cookie_of(const http::Response& r) {
  std::string out;
  for (const auto& [name, value] : r.headers.entries())
    if (http::iequals(name, "Set-Cookie")) {
      EXPECT_TRUE(out.empty()) << "more than one Set-Cookie";
      out = value;
    }
  return out;
}

}  // namespace

TEST_P(AccountsLogoutTest, RevokesThatLoginAndClearsTheCookie) {
  AppHarness app(database(), accounts_config());
  register_user(app, "ada@example.com", "password1");
  auto session = login(app, "ada@example.com", "password1");
  auto other = login(app, "ada@example.com", "password1");

  auto r = post(app, "/api/auth/logout", {{"refresh_token", session.refresh_token}}, bearer(session.access_token));
  EXPECT_EQ(r.status, 204) << r.body;
  EXPECT_TRUE(r.body.empty());
  EXPECT_EQ(set_cookie_of(r), std::string(refresh_cookie) + "=; Path=/api/auth; Max-Age=0; HttpOnly; Secure; SameSite=Strict");

  EXPECT_EQ(refresh(app, session.refresh_token).status, 401);
  EXPECT_EQ(me(app, session.access_token).status, 401);
  EXPECT_EQ(me(app, other.access_token).status, 200);
  EXPECT_EQ(refresh(app, other.refresh_token).status, 200);
}

TEST_P(AccountsLogoutTest, WithoutABodyEndsTheLoginOfTheAccessToken) {
  AppHarness app(database(), accounts_config());
  register_user(app, "ada@example.com", "password1");
  auto session = login(app, "ada@example.com", "password1");
  auto r = app.call(http::Method::post, "/api/auth/logout", {}, bearer(session.access_token));
  EXPECT_EQ(r.status, 204) << r.body;
  EXPECT_EQ(me(app, session.access_token).status, 401);
  EXPECT_EQ(refresh(app, session.refresh_token).status, 401);

  auto anonymous = post(app, "/api/auth/logout", {{"refresh_token", session.refresh_token}});
  EXPECT_EQ(anonymous.status, 401);
}

TEST_P(AccountsLogoutTest, AnotherUsersRefreshTokenIsLeftAlone) {
  AppHarness app(database(), accounts_config());
  register_user(app, "ada@example.com", "password1");
  register_user(app, "bob@example.com", "password1");
  auto ada = login(app, "ada@example.com", "password1");
  auto bob = login(app, "bob@example.com", "password1");
  auto r = post(app, "/api/auth/logout", {{"refresh_token", bob.refresh_token}}, bearer(ada.access_token));
  EXPECT_EQ(r.status, 204);
  EXPECT_EQ(me(app, bob.access_token).status, 200);
  EXPECT_EQ(refresh(app, bob.refresh_token).status, 200);
}

TEST_P(AccountsLogoutTest, ByCookieOnlyFromAnAllowedOrigin) {
  auto config = accounts_config();
  config.cors_allowed_origins = {"https://shop.example"};
  AppHarness app(database(), config);
  register_user(app, "ada@example.com", "password1");
  auto current = login(app, "ada@example.com", "password1");
  auto other = login(app, "ada@example.com", "password1");
  auto cookie = std::string(refresh_cookie) + "=" + other.refresh_token;

  auto foreign = app.call(http::Method::post, "/api/auth/logout", {},
                          headers({{"Authorization", "Bearer " + current.access_token},
                                   {"Cookie", cookie},
                                   {"Origin", "https://evil.example"}}));
  EXPECT_EQ(foreign.status, 403);
  EXPECT_EQ(code_of(foreign), "origin_not_allowed");
  EXPECT_EQ(me(app, current.access_token).status, 200);
  EXPECT_EQ(me(app, other.access_token).status, 200);

  auto r = app.call(http::Method::post, "/api/auth/logout", {},
                    headers({{"Authorization", "Bearer " + current.access_token},
                             {"Cookie", cookie},
                             {"Origin", "https://shop.example"}}));
  EXPECT_EQ(r.status, 204) << r.body;
  EXPECT_EQ(set_cookie_of(r).rfind(std::string(refresh_cookie) + "=; Path=/api/auth; Max-Age=0;", 0), 0u);
  EXPECT_EQ(refresh(app, other.refresh_token).status, 401) << "the cookie's login ended";
  EXPECT_EQ(me(app, other.access_token).status, 401);
}

MERCATO_ACCOUNTS_BACKENDS(AccountsLogoutTest);
