// POST /api/auth/register, verify-email and resend-verification (API.md, Authentication).

#include <gtest/gtest.h>

#include <chrono>
#include <regex>

#include "integration/accounts/accounts_test_support.hpp"
#include "core/time_format.hpp"
#include "security/uuid.hpp"

using namespace mercato;
using namespace mercato::testing::accounts;
using mercato::testing::AppHarness;
using namespace std::chrono_literals;

namespace {

class AccountsRegistrationTest : public mercato::testing::BackendTest {};
class AccountsVerifyEmailTest : public mercato::testing::BackendTest {};

http::Response register_call(AppHarness& app, const boost::json::object& body) {
  return post(app, "/api/auth/register", body);
}

}  // namespace

TEST_P(AccountsRegistrationTest, CreatesACustomerWithTheNormalisedEmail) {
  AppHarness app(database(), accounts_config());
  auto r = register_call(app, {{"email", "  Ada@Example.COM "}, {"password", "correct horse"}});
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.headers.get("Content-Type"), "application/json");
  auto user = body_of(r);
  EXPECT_TRUE(security::is_uuid(str(user.at("id")))) << user.at("id");
  EXPECT_EQ(user.at("email"), "ada@example.com");
  EXPECT_EQ(user.at("role"), "customer");
  EXPECT_EQ(user.at("email_verified"), false);
  EXPECT_EQ(user.at("disabled"), false);
  EXPECT_EQ(str(user.at("created_at")), format_rfc3339(app.clock().now()));
  EXPECT_EQ(user.at("updated_at"), user.at("created_at"));
  EXPECT_EQ(user.size(), 7u) << r.body;  // nothing beyond the User object (no hash)
  EXPECT_EQ(r.headers.get("Location"), "/api/users/" + str(user.at("id")));
}

TEST_P(AccountsRegistrationTest, VendorMayRegisterAdminMayNot) {
  AppHarness app(database(), accounts_config());
  auto vendor = register_call(app, {{"email", "shop@example.com"}, {"password", "password1"}, {"role", "vendor"}});
  ASSERT_EQ(vendor.status, 201) << vendor.body;
  EXPECT_EQ(body_of(vendor).at("role"), "vendor");

  auto admin = register_call(app, {{"email", "boss@example.com"}, {"password", "password1"}, {"role", "admin"}});
  EXPECT_EQ(admin.status, 403) << admin.body;
  EXPECT_EQ(code_of(admin), "role_not_allowed");
  EXPECT_EQ(login_response(app, "boss@example.com", "password1").status, 401) << "no account was created";

  auto bad = register_call(app, {{"email", "odd@example.com"}, {"password", "password1"}, {"role", "superuser"}});
  EXPECT_EQ(bad.status, 400) << bad.body;
  EXPECT_EQ(code_of(bad), "validation_failed");
  EXPECT_EQ(error_fields(bad), std::vector<std::string>{"role"});
}

TEST_P(AccountsRegistrationTest, PasswordLengthIsCountedInBytes8To72) {
  AppHarness app(database(), accounts_config());
  struct Case {
    std::string password;
    int status;
  };
  const std::string e_acute = "\xC3\xA9";  // two bytes, one character
  std::vector<Case> cases{{std::string(7, 'a'), 400},          {std::string(8, 'a'), 201},
                          {std::string(72, 'b'), 201},         {std::string(73, 'c'), 400},
                          {std::string(70, 'd') + e_acute, 201}, {std::string(71, 'e') + e_acute, 400},
                          {"", 400}};
  int n = 0;
  for (const auto& c : cases) {
    auto email = "user" + std::to_string(n++) + "@example.com";
    auto r = register_call(app, {{"email", email}, {"password", c.password}});
    EXPECT_EQ(r.status, c.status) << c.password.size() << " bytes: " << r.body;
    if (c.status == 400) {
      EXPECT_EQ(code_of(r), "validation_failed");
      EXPECT_EQ(error_fields(r), std::vector<std::string>{"password"}) << r.body;
    }
  }
  // The 72-byte password is kept whole: one more byte does not sign in (bcrypt would cut it).
  EXPECT_EQ(login_response(app, "user2@example.com", std::string(72, 'b')).status, 200);
  EXPECT_EQ(login_response(app, "user2@example.com", std::string(72, 'b') + "x").status, 401);
  EXPECT_EQ(login_response(app, "user2@example.com", std::string(71, 'b')).status, 401);
}

TEST_P(AccountsRegistrationTest, MalformedBodiesAre400) {
  AppHarness app(database(), accounts_config());
  auto missing_password = register_call(app, {{"email", "a@example.com"}});
  EXPECT_EQ(missing_password.status, 400);
  EXPECT_EQ(code_of(missing_password), "validation_failed");
  EXPECT_EQ(error_fields(missing_password), std::vector<std::string>{"password"});

  auto missing_both = register_call(app, boost::json::object{});
  EXPECT_EQ(missing_both.status, 400);
  EXPECT_EQ(error_fields(missing_both), (std::vector<std::string>{"email", "password"}));

  auto unknown = register_call(app, {{"email", "a@example.com"}, {"password", "password1"}, {"is_admin", true}});
  EXPECT_EQ(unknown.status, 400) << unknown.body;
  EXPECT_EQ(code_of(unknown), "validation_failed");
  EXPECT_EQ(error_fields(unknown), std::vector<std::string>{"is_admin"});

  auto wrong_type = register_call(app, {{"email", "a@example.com"}, {"password", 12345678}});
  EXPECT_EQ(wrong_type.status, 400);
  EXPECT_EQ(error_fields(wrong_type), std::vector<std::string>{"password"});

  auto bad_email = register_call(app, {{"email", "not-an-address"}, {"password", "password1"}});
  EXPECT_EQ(bad_email.status, 400);
  EXPECT_EQ(error_fields(bad_email), std::vector<std::string>{"email"});

  auto array = app.call(http::Method::post, "/api/auth/register", R"(["a@example.com","password1"])");
  EXPECT_EQ(array.status, 400);
  EXPECT_EQ(code_of(array), "invalid_body");

  auto malformed = app.call(http::Method::post, "/api/auth/register", R"({"email": "a@example.com",)");
  EXPECT_EQ(malformed.status, 400);
  EXPECT_EQ(code_of(malformed), "malformed_json");

  auto empty = app.call(http::Method::post, "/api/auth/register", "");
  EXPECT_EQ(empty.status, 400);
  EXPECT_EQ(code_of(empty), "body_required");

  auto not_json = app.call(http::Method::post, "/api/auth/register", R"({"email":"a@example.com"})",
                           headers({{"Content-Type", "text/plain"}}));
  EXPECT_EQ(not_json.status, 415);

  EXPECT_TRUE(app.emails().empty()) << "no refused registration sends mail";
  EXPECT_EQ(login_response(app, "a@example.com", "password1").status, 401) << "no refused registration creates a user";
}

TEST_P(AccountsRegistrationTest, DuplicateEmailIs409EvenInAnotherCase) {
  AppHarness app(database(), accounts_config());
  ASSERT_EQ(register_call(app, {{"email", "ada@example.com"}, {"password", "password1"}}).status, 201);
  for (auto email : {"ada@example.com", "ADA@Example.com", " ada@EXAMPLE.COM\t"}) {
    auto r = register_call(app, {{"email", email}, {"password", "password2"}, {"role", "vendor"}});
    EXPECT_EQ(r.status, 409) << email << ": " << r.body;
    EXPECT_EQ(code_of(r), "email_taken");
  }
  EXPECT_EQ(app.emails().size(), 1u);
  EXPECT_EQ(login_response(app, "ada@example.com", "password2").status, 401) << "the first account is untouched";
  EXPECT_EQ(login_response(app, "ada@example.com", "password1").status, 200);
}

TEST_P(AccountsRegistrationTest, QueuesAVerificationEmailWithATokenLink) {
  auto config = accounts_config();
  config.app_base_url = "https://shop.example";
  AppHarness app(database(), config);
  ASSERT_EQ(register_call(app, {{"email", " Ada@Example.com"}, {"password", "password1"}}).status, 201);
  auto emails = app.emails();
  ASSERT_EQ(emails.size(), 1u);
  EXPECT_EQ(emails[0].to, "ada@example.com");
  auto token = app.last_token_sent_to("ada@example.com");
  EXPECT_TRUE(std::regex_match(token, std::regex("[A-Za-z0-9_-]{43}"))) << token;
  EXPECT_NE(emails[0].text_body.find("https://shop.example/verify-email?token=" + token), std::string::npos)
      << emails[0].text_body;
}

TEST_P(AccountsVerifyEmailTest, TokenFromTheEmailVerifiesOnce) {
  AppHarness app(database(), accounts_config());
  auto id = register_user(app, "ada@example.com", "password1");
  auto token = app.last_token_sent_to("ada@example.com");
  ASSERT_FALSE(token.empty());

  auto r = post(app, "/api/auth/verify-email", {{"token", token}});
  ASSERT_EQ(r.status, 200) << r.body;
  auto user = body_of(r);
  EXPECT_EQ(str(user.at("id")), id);
  EXPECT_EQ(user.at("email"), "ada@example.com");
  EXPECT_EQ(user.at("email_verified"), true);
  auto session = login(app, "ada@example.com", "password1");
  EXPECT_EQ(body_of(me(app, session.access_token)).at("email_verified"), true);

  auto again = post(app, "/api/auth/verify-email", {{"token", token}});
  EXPECT_EQ(again.status, 400);
  EXPECT_EQ(code_of(again), "invalid_token");

  auto unknown = post(app, "/api/auth/verify-email", {{"token", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}});
  EXPECT_EQ(unknown.status, 400);
  EXPECT_EQ(code_of(unknown), "invalid_token");

  auto missing = post(app, "/api/auth/verify-email", boost::json::object{});
  EXPECT_EQ(missing.status, 400);
  EXPECT_EQ(error_fields(missing), std::vector<std::string>{"token"});
}

TEST_P(AccountsVerifyEmailTest, ExpiresAfter24Hours) {
  AppHarness app(database(), accounts_config());
  register_user(app, "late@example.com", "password1");
  register_user(app, "early@example.com", "password1");
  auto late = app.last_token_sent_to("late@example.com");
  auto early = app.last_token_sent_to("early@example.com");
  app.clock().advance(23h + 59min);
  EXPECT_EQ(post(app, "/api/auth/verify-email", {{"token", early}}).status, 200);
  app.clock().advance(61min);  // 25 h after registration
  auto r = post(app, "/api/auth/verify-email", {{"token", late}});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(code_of(r), "invalid_token");
  auto session = login(app, "late@example.com", "password1");
  EXPECT_EQ(body_of(me(app, session.access_token)).at("email_verified"), false);
}

TEST_P(AccountsVerifyEmailTest, ResendVoidsTheOlderToken) {
  AppHarness app(database(), accounts_config());
  register_user(app, "ada@example.com", "password1");
  auto first = app.last_token_sent_to("ada@example.com");
  app.clock().advance(1s);  // emails are ordered by time: keep "the newest" unambiguous
  auto r = post(app, "/api/auth/resend-verification", {{"email", "ADA@example.com "}});
  EXPECT_EQ(r.status, 202) << r.body;
  ASSERT_EQ(app.emails().size(), 2u);
  auto second = app.last_token_sent_to("ada@example.com");
  ASSERT_NE(first, second);

  auto old = post(app, "/api/auth/verify-email", {{"token", first}});
  EXPECT_EQ(old.status, 400);
  EXPECT_EQ(code_of(old), "invalid_token");
  EXPECT_EQ(post(app, "/api/auth/verify-email", {{"token", second}}).status, 200);

  // Already verified: still 202, but nothing more to send.
  EXPECT_EQ(post(app, "/api/auth/resend-verification", {{"email", "ada@example.com"}}).status, 202);
  EXPECT_EQ(app.emails().size(), 2u);
}

TEST_P(AccountsVerifyEmailTest, ResendForAnUnknownAddressIs202WithoutEmail) {
  AppHarness app(database(), accounts_config());
  register_user(app, "ada@example.com", "password1");
  auto unknown = post(app, "/api/auth/resend-verification", {{"email", "nobody@example.com"}});
  auto known = post(app, "/api/auth/resend-verification", {{"email", "ada@example.com"}});
  EXPECT_EQ(unknown.status, 202);
  EXPECT_EQ(known.status, 202);
  EXPECT_EQ(unknown.body, known.body) << "the answer does not tell whether the address exists";
  auto emails = app.emails();
  ASSERT_EQ(emails.size(), 2u);
  for (const auto& e : emails) EXPECT_EQ(e.to, "ada@example.com");

  auto bad = post(app, "/api/auth/resend-verification", {{"email", "x@example.com"}, {"extra", 1}});
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(error_fields(bad), std::vector<std::string>{"extra"});
}

MERCATO_ACCOUNTS_BACKENDS(AccountsRegistrationTest);
MERCATO_ACCOUNTS_BACKENDS(AccountsVerifyEmailTest);
