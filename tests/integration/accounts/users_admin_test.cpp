// /api/users (admin): RBAC, keyset pagination, role filter, PATCH role/disabled, last admin.

#include <gtest/gtest.h>

#include <chrono>
#include <set>

#include "integration/accounts/accounts_test_support.hpp"
#include "security/uuid.hpp"

using namespace mercato;
using namespace mercato::testing::accounts;
using mercato::testing::AppHarness;
using namespace std::chrono_literals;

namespace {

class AccountsUsersAdminTest : public mercato::testing::BackendTest {};

http::Response get_as(AppHarness& app, const std::string& target, const std::string& token) {
  return app.call(http::Method::get, target, {}, bearer(token));
}

http::Response patch_as(AppHarness& app, const std::string& id, const std::string& body, const std::string& token) {
  return app.call(http::Method::patch, "/api/users/" + id, body, bearer(token));
}

std::string b64(std::string_view text) { return security::base64url_encode(security::byte_view(text)); }

}  // namespace

TEST_P(AccountsUsersAdminTest, OnlyAdminsMayUseTheUserRoutes) {
  AppHarness app(database(), accounts_config());
  auto admin = admin_session(app);
  auto customer_id = register_user(app, "cus@example.com", "password1");
  register_user(app, "ven@example.com", "password1", "vendor");
  auto customer = login(app, "cus@example.com", "password1");
  auto vendor = login(app, "ven@example.com", "password1");

  struct Call {
    http::Method method;
    std::string target;
    std::string body;
  };
  std::vector<Call> calls{{http::Method::get, "/api/users", ""},
                          {http::Method::get, "/api/users/" + customer_id, ""},
                          {http::Method::patch, "/api/users/" + customer_id, R"({"role":"admin"})"}};
  for (const auto& c : calls) {
    for (const auto* token : {&customer.access_token, &vendor.access_token}) {
      auto r = app.call(c.method, c.target, c.body, bearer(*token));
      EXPECT_EQ(r.status, 403) << c.target << ": " << r.body;
      EXPECT_EQ(code_of(r), "forbidden");
    }
    auto anonymous = app.call(c.method, c.target, c.body);
    EXPECT_EQ(anonymous.status, 401) << c.target;
    EXPECT_EQ(code_of(anonymous), "authentication_required");
  }
  EXPECT_EQ(body_of(me(app, customer.access_token)).at("role"), "customer") << "the refused PATCH changed nothing";

  EXPECT_EQ(get_as(app, "/api/users", admin.access_token).status, 200);
  auto one = get_as(app, "/api/users/" + customer_id, admin.access_token);
  ASSERT_EQ(one.status, 200) << one.body;
  EXPECT_EQ(body_of(one).at("email"), "cus@example.com");
  EXPECT_EQ(body_of(one).size(), 7u) << one.body;
}

TEST_P(AccountsUsersAdminTest, ListWalksEveryUserOnceWithAKeysetCursor) {
  AppHarness app(database(), accounts_config());
  std::set<std::string> expected;
  // Ties on created_at as well as distinct times: the service directly does not move the
  // clock, a request through the harness does.
  for (int i = 0; i < 25; ++i) {
    auto email = "user" + std::to_string(i) + "@example.com";
    auto role = i % 4 == 0 ? "vendor" : "customer";
    if (i % 3 == 0)
      expected.insert(register_user(app, email, "password1", role));
    else
      expected.insert(app.application().auth().register_user({"127.0.0.1", "test", std::nullopt}, email,
                                                             "password1", role).id);
  }
  auto admin = admin_session(app);
  expected.insert(admin.user_id);
  ASSERT_EQ(expected.size(), 26u);

  std::vector<std::string> seen;
  std::set<std::string> times;
  std::vector<std::size_t> page_sizes;
  std::string target = "/api/users?limit=10";
  std::string previous_created;
  for (int pages = 0; pages < 10; ++pages) {
    auto r = get_as(app, target, admin.access_token);
    ASSERT_EQ(r.status, 200) << r.body;
    auto body = body_of(r);
    const auto& data = body.at("data").as_array();
    page_sizes.push_back(data.size());
    for (const auto& user : data) {
      seen.push_back(str(user.at("id")));
      auto created = str(user.at("created_at"));
      times.insert(created);
      if (!previous_created.empty()) {
        EXPECT_LE(created, previous_created) << "newest first";
      }
      previous_created = created;
    }
    ASSERT_TRUE(body.contains("next_cursor"));
    if (body.at("next_cursor").is_null()) break;
    target = "/api/users?limit=10&cursor=" + str(body.at("next_cursor"));
  }
  EXPECT_EQ(page_sizes, (std::vector<std::size_t>{10, 10, 6}));
  EXPECT_EQ(seen.size(), 26u);
  EXPECT_LT(times.size(), 20u) << "the walk crossed ties on created_at";
  EXPECT_GT(times.size(), 5u);
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()), expected);

  auto all = body_of(get_as(app, "/api/users?limit=100", admin.access_token));
  EXPECT_EQ(all.at("data").as_array().size(), 26u);
  EXPECT_TRUE(all.at("next_cursor").is_null());
  auto defaults = body_of(get_as(app, "/api/users", admin.access_token));
  EXPECT_EQ(defaults.at("data").as_array().size(), 20u);
  EXPECT_TRUE(defaults.at("next_cursor").is_string());

  std::set<std::string> vendors;
  auto filtered = get_as(app, "/api/users?role=vendor&limit=4", admin.access_token);
  ASSERT_EQ(filtered.status, 200);
  auto filtered_body = body_of(filtered);
  for (const auto& user : filtered_body.at("data").as_array()) vendors.insert(str(user.at("id")));
  auto next = filtered_body.at("next_cursor");
  ASSERT_TRUE(next.is_string());
  auto rest = get_as(app, "/api/users?role=vendor&limit=4&cursor=" + str(next), admin.access_token);
  ASSERT_EQ(rest.status, 200);
  auto rest_body = body_of(rest);
  for (const auto& user : rest_body.at("data").as_array()) {
    EXPECT_EQ(user.at("role"), "vendor");
    vendors.insert(str(user.at("id")));
  }
  EXPECT_TRUE(rest_body.at("next_cursor").is_null());
  EXPECT_EQ(vendors.size(), 7u);  // i = 0, 4, 8, ..., 24
  auto admins = body_of(get_as(app, "/api/users?role=admin", admin.access_token)).at("data").as_array();
  ASSERT_EQ(admins.size(), 1u);
  EXPECT_EQ(str(admins[0].at("id")), admin.user_id);
}

TEST_P(AccountsUsersAdminTest, BadQueryParametersAre400) {
  AppHarness app(database(), accounts_config());
  auto admin = admin_session(app);
  for (auto limit : {"0", "101", "abc", "-1", "10x", ""}) {
    auto r = get_as(app, std::string("/api/users?limit=") + limit, admin.access_token);
    EXPECT_EQ(r.status, 400) << "limit=" << limit;
    EXPECT_EQ(error_fields(r), std::vector<std::string>{"limit"}) << r.body;
  }
  EXPECT_EQ(get_as(app, "/api/users?limit=1", admin.access_token).status, 200);
  EXPECT_EQ(get_as(app, "/api/users?limit=100", admin.access_token).status, 200);

  for (const auto& cursor : {std::string("!!!"), std::string("abc="), b64("only-one-part"),
                             b64("not-a-time\n01234567-89ab-7def-8123-456789abcdef"),
                             b64("2026-11-25T00:00:00.000000Z\nnot-a-uuid"), b64("a\nb\nc")}) {
    auto r = get_as(app, "/api/users?cursor=" + cursor, admin.access_token);
    EXPECT_EQ(r.status, 400) << "cursor " << cursor << ": " << r.body;
    EXPECT_EQ(code_of(r), "invalid_cursor");
  }
  auto role = get_as(app, "/api/users?role=superuser", admin.access_token);
  EXPECT_EQ(role.status, 400);
  EXPECT_EQ(error_fields(role), std::vector<std::string>{"role"});
}

TEST_P(AccountsUsersAdminTest, UnknownOrMalformedIdsAre404) {
  AppHarness app(database(), accounts_config());
  auto admin = admin_session(app);
  for (auto id : {"01234567-89ab-7def-8123-456789abcdef", "not-a-uuid", "1"}) {
    auto r = get_as(app, std::string("/api/users/") + id, admin.access_token);
    EXPECT_EQ(r.status, 404) << id << ": " << r.body;
    EXPECT_EQ(code_of(r), "not_found");
    auto p = patch_as(app, id, R"({"disabled":true})", admin.access_token);
    EXPECT_EQ(p.status, 404) << id << ": " << p.body;
  }
}

TEST_P(AccountsUsersAdminTest, PatchChangesRoleAndDisabled) {
  AppHarness app(database(), accounts_config());
  auto admin = admin_session(app);
  auto id = register_user(app, "ada@example.com", "password1");
  app.clock().advance(1min);

  auto role = patch_as(app, id, R"({"role":"vendor"})", admin.access_token);
  ASSERT_EQ(role.status, 200) << role.body;
  auto user = body_of(role);
  EXPECT_EQ(user.at("role"), "vendor");
  EXPECT_EQ(user.at("disabled"), false);
  EXPECT_NE(user.at("updated_at"), user.at("created_at"));
  EXPECT_EQ(body_of(get_as(app, "/api/users/" + id, admin.access_token)).at("role"), "vendor");

  auto both = patch_as(app, id, R"({"role":"customer","disabled":true})", admin.access_token);
  ASSERT_EQ(both.status, 200) << both.body;
  EXPECT_EQ(body_of(both).at("role"), "customer");
  EXPECT_EQ(body_of(both).at("disabled"), true);

  auto enable = patch_as(app, id, R"({"disabled":false})", admin.access_token);
  EXPECT_EQ(body_of(enable).at("disabled"), false);
  EXPECT_EQ(login_response(app, "ada@example.com", "password1").status, 200);

  auto unknown = patch_as(app, id, R"({"email_verified":true})", admin.access_token);
  EXPECT_EQ(unknown.status, 400);
  EXPECT_EQ(error_fields(unknown), std::vector<std::string>{"email_verified"});
  auto bad_role = patch_as(app, id, R"({"role":"root"})", admin.access_token);
  EXPECT_EQ(bad_role.status, 400);
  EXPECT_EQ(error_fields(bad_role), std::vector<std::string>{"role"});
  auto bad_type = patch_as(app, id, R"({"disabled":"yes"})", admin.access_token);
  EXPECT_EQ(bad_type.status, 400);
  EXPECT_EQ(error_fields(bad_type), std::vector<std::string>{"disabled"});
  EXPECT_EQ(patch_as(app, id, "[]", admin.access_token).status, 400);
  EXPECT_EQ(patch_as(app, id, "{", admin.access_token).status, 400);
  EXPECT_EQ(body_of(get_as(app, "/api/users/" + id, admin.access_token)).at("email_verified"), false);
}

TEST_P(AccountsUsersAdminTest, DisablingEndsLiveTokensAtOnce) {
  AppHarness app(database(), accounts_config());
  auto admin = admin_session(app);
  auto id = register_user(app, "ada@example.com", "password1");
  auto session = login(app, "ada@example.com", "password1");
  ASSERT_EQ(me(app, session.access_token).status, 200);

  ASSERT_EQ(patch_as(app, id, R"({"disabled":true})", admin.access_token).status, 200);
  EXPECT_EQ(me(app, session.access_token).status, 401);
  EXPECT_EQ(refresh(app, session.refresh_token).status, 401);

  // Enabling again does not bring the ended logins back.
  ASSERT_EQ(patch_as(app, id, R"({"disabled":false})", admin.access_token).status, 200);
  EXPECT_EQ(me(app, session.access_token).status, 401);
  EXPECT_EQ(refresh(app, session.refresh_token).status, 401);
}

TEST_P(AccountsUsersAdminTest, TheLastEnabledAdminCannotBeDisabledOrDemoted) {
  AppHarness app(database(), accounts_config());
  auto root = admin_session(app);
  for (auto body : {R"({"disabled":true})", R"({"role":"customer"})", R"({"role":"vendor","disabled":false})"}) {
    auto r = patch_as(app, root.user_id, body, root.access_token);
    EXPECT_EQ(r.status, 409) << body << ": " << r.body;
    EXPECT_EQ(code_of(r), "last_admin");
  }
  EXPECT_EQ(patch_as(app, root.user_id, R"({"role":"admin"})", root.access_token).status, 200) << "no change is fine";

  // A second admin, disabled, does not count.
  auto second = admin_session(app, "second@admin.example", "admin-password-2");
  ASSERT_EQ(patch_as(app, second.user_id, R"({"disabled":true})", root.access_token).status, 200);
  EXPECT_EQ(patch_as(app, root.user_id, R"({"role":"customer"})", root.access_token).status, 409);

  // Enabled again there are two, and one may step down; the other is then the last.
  ASSERT_EQ(patch_as(app, second.user_id, R"({"disabled":false})", root.access_token).status, 200);
  auto second_again = login(app, "second@admin.example", "admin-password-2");
  auto demote = patch_as(app, root.user_id, R"({"role":"customer"})", root.access_token);
  EXPECT_EQ(demote.status, 200) << demote.body;
  EXPECT_EQ(get_as(app, "/api/users", root.access_token).status, 403) << "the demoted admin's token lost the role";
  auto last = patch_as(app, second.user_id, R"({"disabled":true})", second_again.access_token);
  EXPECT_EQ(last.status, 409);
  EXPECT_EQ(code_of(last), "last_admin");
  EXPECT_EQ(patch_as(app, root.user_id, R"({"role":"admin"})", second_again.access_token).status, 200);
  EXPECT_EQ(patch_as(app, second.user_id, R"({"disabled":true})", second_again.access_token).status, 200)
      << "with two admins one may be disabled";
  EXPECT_EQ(me(app, second_again.access_token).status, 401);
}

MERCATO_ACCOUNTS_BACKENDS(AccountsUsersAdminTest);
