// GET /api/auth/me and the access-token rules: HS256 pinned, signature, expiry, header only.

#include <gtest/gtest.h>

#include <chrono>

#include "integration/accounts/accounts_test_support.hpp"

using namespace mercato;
using namespace mercato::testing::accounts;
using mercato::testing::AppHarness;
using namespace std::chrono_literals;

namespace {

class AccountsAccessTokenTest : public mercato::testing::BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    app_ = std::make_unique<AppHarness>(database(), accounts_config());
    user_id_ = register_user(*app_, "ada@example.com", "password1");
    session_ = login(*app_, "ada@example.com", "password1");
    claims_ = jwt_payload(session_.access_token);
  }
  void TearDown() override {
    app_.reset();
    BackendTest::TearDown();
  }

  // The payload of the real token, with `changes` applied.
  std::string payload(const boost::json::object& changes = {}) const {
    auto out = claims_;
    for (const auto& [key, value] : changes) out[key] = value;
    return json(out);
  }

  void expect_refused(const std::string& token, const std::string& what) {
    auto r = me(*app_, token);
    EXPECT_EQ(r.status, 401) << what << ": " << r.body;
    EXPECT_EQ(r.headers.get("WWW-Authenticate"), "Bearer") << what;
    EXPECT_EQ(r.body.find("ada@example.com"), std::string::npos) << what;
  }

  const std::string secret_ = AppHarness::default_config().jwt_secret;
  std::unique_ptr<AppHarness> app_;
  std::string user_id_;
  Session session_;
  boost::json::object claims_;
};

constexpr std::string_view hs256 = R"({"alg":"HS256","typ":"JWT"})";

}  // namespace

TEST_P(AccountsAccessTokenTest, MeReturnsTheUserOfTheToken) {
  auto r = me(*app_, session_.access_token);
  ASSERT_EQ(r.status, 200) << r.body;
  auto user = body_of(r);
  EXPECT_EQ(str(user.at("id")), user_id_);
  EXPECT_EQ(user.at("email"), "ada@example.com");
  EXPECT_EQ(user.at("role"), "customer");
  auto lower_scheme = app_->call(http::Method::get, "/api/auth/me", {},
                                 headers({{"Authorization", "bearer " + session_.access_token}}));
  EXPECT_EQ(lower_scheme.status, 200) << "the scheme is case-insensitive (RFC 9110)";
}

TEST_P(AccountsAccessTokenTest, NoTokenOrAnotherSchemeIs401) {
  auto none = app_->get("/api/auth/me");
  EXPECT_EQ(none.status, 401);
  EXPECT_EQ(code_of(none), "authentication_required");
  EXPECT_EQ(none.headers.get("WWW-Authenticate"), "Bearer");
  auto basic = app_->call(http::Method::get, "/api/auth/me", {}, headers({{"Authorization", "Basic YWRhOnBhc3N3b3JkMQ=="}}));
  EXPECT_EQ(basic.status, 401);
  auto empty = app_->call(http::Method::get, "/api/auth/me", {}, headers({{"Authorization", "Bearer "}}));
  EXPECT_EQ(empty.status, 401);
}

TEST_P(AccountsAccessTokenTest, ForgeryControlACorrectlySignedTokenIsAccepted) {
  // Proves the forging below is right, so that the refusals test what they claim to.
  auto token = forge_jwt(hs256, payload({{"jti", "forged-but-valid"}}), secret_);
  EXPECT_EQ(me(*app_, token).status, 200);
}

TEST_P(AccountsAccessTokenTest, GarbageAndTamperedTokensAre401) {
  expect_refused("garbage", "garbage");
  expect_refused("a.b.c", "three garbage segments");
  expect_refused(session_.access_token + "x", "extra character");
  auto dot = session_.access_token.rfind('.');
  auto tampered_payload = security::base64url_encode(security::byte_view(payload({{"role", "admin"}})));
  auto first_dot = session_.access_token.find('.');
  expect_refused(session_.access_token.substr(0, first_dot + 1) + tampered_payload + session_.access_token.substr(dot),
                 "payload changed, signature kept");
  auto flipped = session_.access_token;
  flipped[dot + 5] = flipped[dot + 5] == 'A' ? 'B' : 'A';
  expect_refused(flipped, "signature changed");
  expect_refused(session_.access_token.substr(0, dot + 1), "signature removed");
}

TEST_P(AccountsAccessTokenTest, OtherAlgorithmsAndKeysAre401) {
  auto body = payload();
  auto b64 = [](std::string_view text) { return security::base64url_encode(security::byte_view(text)); };
  expect_refused(b64(R"({"alg":"none","typ":"JWT"})") + "." + b64(body) + ".", "alg none, no signature");
  expect_refused(forge_jwt(R"({"alg":"none","typ":"JWT"})", body, secret_), "alg none with an HMAC");
  expect_refused(forge_jwt(R"({"alg":"None"})", body, secret_), "alg None");
  expect_refused(forge_jwt(hs256, body, "another-secret-of-at-least-32-bytes!!"), "HS256 with another key");
  expect_refused(forge_jwt(R"({"alg":"RS256","typ":"JWT"})", body, secret_), "RS256 header");
  expect_refused(forge_jwt(R"({"alg":"HS512","typ":"JWT"})", body, secret_), "HS512 header");
  expect_refused(forge_jwt(R"({"typ":"JWT"})", body, secret_), "no alg");
}

TEST_P(AccountsAccessTokenTest, ClaimsAreChecked) {
  auto now = claims_.at("iat").as_int64();
  expect_refused(forge_jwt(hs256, payload({{"iss", "someone-else"}}), secret_), "other issuer");
  expect_refused(forge_jwt(hs256, payload({{"exp", now - 60}, {"iat", now - 960}}), secret_), "expired");
  expect_refused(forge_jwt(hs256, payload({{"iat", now + 3600}, {"exp", now + 4500}}), secret_), "issued in the future");
  expect_refused(forge_jwt(hs256, payload({{"sub", "00000000-0000-7000-8000-000000000000"}}), secret_),
                 "no such user");
  expect_refused(forge_jwt(hs256, payload({{"sid", "00000000-0000-7000-8000-000000000000"}}), secret_),
                 "no such login");
  auto without_sub = claims_;
  without_sub.erase("sub");
  expect_refused(forge_jwt(hs256, json(without_sub), secret_), "no sub");
}

TEST_P(AccountsAccessTokenTest, ExpiresAfterFifteenMinutes) {
  app_->clock().advance(14min);
  EXPECT_EQ(me(*app_, session_.access_token).status, 200);
  app_->clock().advance(2min);
  expect_refused(session_.access_token, "16 minutes old");
}

TEST_P(AccountsAccessTokenTest, ATokenInTheQueryIsRefused) {
  auto r = app_->get("/api/auth/me?access_token=" + session_.access_token);
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(code_of(r), "token_in_url");
  auto both = app_->call(http::Method::get, "/api/auth/me?access_token=" + session_.access_token, {},
                         bearer(session_.access_token));
  EXPECT_EQ(both.status, 401) << "a token in the URL is refused even beside a good header";
  EXPECT_EQ(app_->log_text().find(session_.access_token), std::string::npos);
}

TEST_P(AccountsAccessTokenTest, RefreshTokenIsNotAnAccessToken) {
  expect_refused(session_.refresh_token, "refresh token as bearer");
  auto r = refresh(*app_, session_.access_token);
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(code_of(r), "invalid_refresh_token");
  EXPECT_EQ(refresh(*app_, session_.refresh_token).status, 200) << "the refresh token itself is still good";
}

TEST_P(AccountsAccessTokenTest, RoleChangesApplyToLiveTokensAtOnce) {
  auto admin = admin_session(*app_);
  EXPECT_EQ(app_->call(http::Method::get, "/api/users", {}, bearer(session_.access_token)).status, 403);
  auto promote = app_->call(http::Method::patch, "/api/users/" + user_id_, R"({"role":"admin"})",
                            bearer(admin.access_token));
  ASSERT_EQ(promote.status, 200) << promote.body;
  EXPECT_EQ(app_->call(http::Method::get, "/api/users", {}, bearer(session_.access_token)).status, 200);
  EXPECT_EQ(body_of(me(*app_, session_.access_token)).at("role"), "admin");
}

MERCATO_ACCOUNTS_BACKENDS(AccountsAccessTokenTest);
