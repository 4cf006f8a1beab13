// forgot-password, reset-password and change-password (API.md, Authentication).

#include <gtest/gtest.h>

#include <chrono>

#include "integration/accounts/accounts_test_support.hpp"

using namespace mercato;
using namespace mercato::testing::accounts;
using mercato::testing::AppHarness;
using namespace std::chrono_literals;

namespace {

class AccountsPasswordResetTest : public mercato::testing::BackendTest {};
class AccountsChangePasswordTest : public mercato::testing::BackendTest {};

http::Response forgot(AppHarness& app, std::string_view email) {
  return post(app, "/api/auth/forgot-password", {{"email", email}});
}

http::Response reset(AppHarness& app, std::string_view token, std::string_view password) {
  return post(app, "/api/auth/reset-password", {{"token", token}, {"password", password}});
}

http::Response change(AppHarness& app, std::string_view access, std::string_view current, std::string_view next) {
  return post(app, "/api/auth/change-password", {{"current_password", current}, {"new_password", next}},
              bearer(access));
}

}  // namespace

TEST_P(AccountsPasswordResetTest, ForgotIs202ForKnownAndUnknownButMailsOnlyTheKnown) {
  auto config = accounts_config();
  config.app_base_url = "https://shop.example";
  AppHarness app(database(), config);
  register_user(app, "ada@example.com", "password1");
  app.clock().advance(1s);  // the reset email is then the newest
  auto before = app.emails().size();
  auto unknown = forgot(app, "nobody@example.com");
  EXPECT_EQ(unknown.status, 202);
  EXPECT_EQ(app.emails().size(), before);
  auto known = forgot(app, " ADA@example.com");
  EXPECT_EQ(known.status, 202);
  EXPECT_EQ(known.body, unknown.body);
  auto emails = app.emails();
  ASSERT_EQ(emails.size(), before + 1);
  EXPECT_EQ(emails.back().to, "ada@example.com");
  auto token = app.last_token_sent_to("ada@example.com");
  EXPECT_EQ(token.size(), 43u);
  EXPECT_NE(emails.back().text_body.find("https://shop.example/reset-password?token=" + token), std::string::npos)
      << emails.back().text_body;

  auto malformed = post(app, "/api/auth/forgot-password", {{"mail", "ada@example.com"}});
  EXPECT_EQ(malformed.status, 400);
}

TEST_P(AccountsPasswordResetTest, ResetSetsThePasswordAndRevokesEverySession) {
  AppHarness app(database(), accounts_config());
  register_user(app, "ada@example.com", "password1");
  app.clock().advance(1s);  // the reset email is then the newest
  auto phone = login(app, "ada@example.com", "password1");
  auto laptop = login(app, "ada@example.com", "password1");
  ASSERT_EQ(forgot(app, "ada@example.com").status, 202);
  auto token = app.last_token_sent_to("ada@example.com");

  auto r = reset(app, token, "new-password-2");
  EXPECT_EQ(r.status, 204) << r.body;
  EXPECT_TRUE(r.body.empty());
  for (const auto* s : {&phone, &laptop}) {
    EXPECT_EQ(me(app, s->access_token).status, 401);
    EXPECT_EQ(refresh(app, s->refresh_token).status, 401);
  }
  EXPECT_EQ(login_response(app, "ada@example.com", "password1").status, 401);
  EXPECT_EQ(login_response(app, "ada@example.com", "new-password-2").status, 200);

  auto again = reset(app, token, "third-password-3");
  EXPECT_EQ(again.status, 400);
  EXPECT_EQ(code_of(again), "invalid_token");
  EXPECT_EQ(login_response(app, "ada@example.com", "new-password-2").status, 200);
}

TEST_P(AccountsPasswordResetTest, ResetLiftsALockoutOthersCausedWithWrongPasswords) {
  auto config = accounts_config();
  config.login_failures_per_account = 3;
  AppHarness app(database(), config);
  register_user(app, "ada@example.com", "password1");
  app.clock().advance(1s);
  for (auto wrong : {"wrong-1", "wrong-2", "wrong-3"})
    EXPECT_EQ(login_response(app, "ada@example.com", wrong).status, 401);
  EXPECT_EQ(login_response(app, "ada@example.com", "password1").status, 429);
  ASSERT_EQ(forgot(app, "ada@example.com").status, 202);
  ASSERT_EQ(reset(app, app.last_token_sent_to("ada@example.com"), "new-password-2").status, 204);
  EXPECT_EQ(login_response(app, "ada@example.com", "new-password-2").status, 200);
}

TEST_P(AccountsPasswordResetTest, TokenExpiresAfterOneHourAndIsReplacedByANewerOne) {
  AppHarness app(database(), accounts_config());
  register_user(app, "ada@example.com", "password1");
  app.clock().advance(1s);  // emails are ordered by time: keep "the newest" unambiguous
  ASSERT_EQ(forgot(app, "ada@example.com").status, 202);
  auto first = app.last_token_sent_to("ada@example.com");
  app.clock().advance(1s);  // emails are ordered by time: keep "the newest" unambiguous
  ASSERT_EQ(forgot(app, "ada@example.com").status, 202);
  auto second = app.last_token_sent_to("ada@example.com");
  ASSERT_NE(first, second);
  auto voided = reset(app, first, "new-password-2");
  EXPECT_EQ(voided.status, 400);
  EXPECT_EQ(code_of(voided), "invalid_token");

  app.clock().advance(1h + 1s);
  auto late = reset(app, second, "new-password-2");
  EXPECT_EQ(late.status, 400);
  EXPECT_EQ(code_of(late), "invalid_token");
  EXPECT_EQ(login_response(app, "ada@example.com", "password1").status, 200);

  ASSERT_EQ(forgot(app, "ada@example.com").status, 202);
  app.clock().advance(59min);
  EXPECT_EQ(reset(app, app.last_token_sent_to("ada@example.com"), "new-password-2").status, 204);
}

TEST_P(AccountsPasswordResetTest, InvalidInputIs400) {
  AppHarness app(database(), accounts_config());
  register_user(app, "ada@example.com", "password1");
  auto verification_token = app.last_token_sent_to("ada@example.com");
  app.clock().advance(1s);  // the reset email is then the newest
  ASSERT_EQ(forgot(app, "ada@example.com").status, 202);
  auto token = app.last_token_sent_to("ada@example.com");

  auto short_password = reset(app, token, "1234567");
  EXPECT_EQ(short_password.status, 400);
  EXPECT_EQ(code_of(short_password), "validation_failed");
  EXPECT_EQ(error_fields(short_password), std::vector<std::string>{"password"});
  auto long_password = reset(app, token, std::string(73, 'x'));
  EXPECT_EQ(long_password.status, 400);
  EXPECT_EQ(error_fields(long_password), std::vector<std::string>{"password"});

  auto unknown = reset(app, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "new-password-2");
  EXPECT_EQ(unknown.status, 400);
  EXPECT_EQ(code_of(unknown), "invalid_token");
  // A verification token is not a reset token.
  auto wrong_purpose = reset(app, verification_token, "new-password-2");
  EXPECT_EQ(wrong_purpose.status, 400);
  EXPECT_EQ(code_of(wrong_purpose), "invalid_token");
  auto missing = post(app, "/api/auth/reset-password", {{"token", token}});
  EXPECT_EQ(missing.status, 400);
  EXPECT_EQ(error_fields(missing), std::vector<std::string>{"password"});

  EXPECT_EQ(reset(app, token, "new-password-2").status, 204) << "refused attempts did not use the token";
}

TEST_P(AccountsChangePasswordTest, WrongCurrentPasswordIs401) {
  AppHarness app(database(), accounts_config());
  register_user(app, "ada@example.com", "password1");
  auto session = login(app, "ada@example.com", "password1");
  auto r = change(app, session.access_token, "password9", "new-password-2");
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(code_of(r), "invalid_credentials");
  EXPECT_EQ(me(app, session.access_token).status, 200) << "a wrong guess does not end the login";
  EXPECT_EQ(login_response(app, "ada@example.com", "password1").status, 200);
}

TEST_P(AccountsChangePasswordTest, RevokesOtherLoginsAndKeepsTheCurrentOne) {
  AppHarness app(database(), accounts_config());
  register_user(app, "ada@example.com", "password1");
  auto current = login(app, "ada@example.com", "password1");
  auto other = login(app, "ada@example.com", "password1");

  auto r = change(app, current.access_token, "password1", "new-password-2");
  EXPECT_EQ(r.status, 204) << r.body;
  EXPECT_EQ(me(app, other.access_token).status, 401);
  EXPECT_EQ(refresh(app, other.refresh_token).status, 401);
  EXPECT_EQ(me(app, current.access_token).status, 200);
  EXPECT_EQ(refresh(app, current.refresh_token).status, 200);

  EXPECT_EQ(login_response(app, "ada@example.com", "password1").status, 401);
  EXPECT_EQ(login_response(app, "ada@example.com", "new-password-2").status, 200);
}

TEST_P(AccountsChangePasswordTest, InvalidInputAndAnonymousCallers) {
  AppHarness app(database(), accounts_config());
  register_user(app, "ada@example.com", "password1");
  auto session = login(app, "ada@example.com", "password1");
  auto short_password = change(app, session.access_token, "password1", "1234567");
  EXPECT_EQ(short_password.status, 400);
  EXPECT_EQ(error_fields(short_password), std::vector<std::string>{"new_password"});
  auto long_password = change(app, session.access_token, "password1", std::string(73, 'y'));
  EXPECT_EQ(long_password.status, 400);
  EXPECT_EQ(error_fields(long_password), std::vector<std::string>{"new_password"});
  auto missing = post(app, "/api/auth/change-password", {{"new_password", "new-password-2"}}, bearer(session.access_token));
  EXPECT_EQ(missing.status, 400);
  EXPECT_EQ(error_fields(missing), std::vector<std::string>{"current_password"});

  auto anonymous = post(app, "/api/auth/change-password",
                        {{"current_password", "password1"}, {"new_password", "new-password-2"}});
  EXPECT_EQ(anonymous.status, 401);
  EXPECT_EQ(code_of(anonymous), "authentication_required");
  EXPECT_EQ(login_response(app, "ada@example.com", "password1").status, 200) << "nothing changed";
}

MERCATO_ACCOUNTS_BACKENDS(AccountsPasswordResetTest);
MERCATO_ACCOUNTS_BACKENDS(AccountsChangePasswordTest);
