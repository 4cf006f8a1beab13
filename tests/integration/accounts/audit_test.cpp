// The audit_log table and JSON log lines for account events, and field encryption of emails:
// no secret in either, no plaintext email in the users table.

#include <gtest/gtest.h>

#include <optional>

#include "integration/accounts/accounts_test_support.hpp"

using namespace mercato;
using namespace mercato::testing::accounts;
using mercato::testing::AppHarness;

namespace {

class AccountsAuditTest : public mercato::testing::BackendTest {};
class AccountsFieldEncryptionTest : public mercato::testing::BackendTest {};

struct AuditRow {
  std::string event, outcome;
  std::optional<std::string> actor_id, subject_id, ip, request_id;
  boost::json::object details;
};

std::vector<AuditRow> audit_rows(db::Database& database) {
  auto lease = database.acquire();
  std::vector<AuditRow> rows;
  for (const auto& row :
       lease->execute("SELECT event, outcome, actor_id, subject_id, ip, request_id, details FROM audit_log").rows)
    rows.push_back({row.text(0), row.text(1), row.optional_text(2), row.optional_text(3), row.optional_text(4),
                    row.optional_text(5), boost::json::parse(row.text(6)).as_object()});
  return rows;
}

std::string reason_of(const AuditRow& row) {
  auto* reason = row.details.if_contains("reason");
  return reason ? str(*reason) : std::string();
}

// The rows of one event and outcome about one subject, with that reason when one is given.
std::vector<AuditRow> find_audit(const std::vector<AuditRow>& rows, std::string_view event, std::string_view outcome,
                           const std::optional<std::string>& subject, std::optional<std::string_view> reason = {}) {
  std::vector<AuditRow> out;
  for (const auto& row : rows)
    if (row.event == event && row.outcome == outcome && row.subject_id == subject &&
        (!reason || reason_of(row) == *reason))
      out.push_back(row);
  return out;
}

}  // namespace

TEST_P(AccountsAuditTest, EveryAccountEventIsRecordedWithoutSecrets) {
  AppHarness app(database(), accounts_config());
  std::vector<std::string> secrets{"password1", "wrong-password-9", "new-password-2", "admin-password-1"};
  auto admin = admin_session(app);
  secrets.insert(secrets.end(), {admin.access_token, admin.refresh_token});

  auto id = register_user(app, "ada@example.com", "password1");
  auto verification = app.last_token_sent_to("ada@example.com");
  secrets.push_back(verification);
  ASSERT_EQ(post(app, "/api/auth/verify-email", {{"token", verification}}).status, 200);

  EXPECT_EQ(post(app, "/api/auth/login", {{"email", "ada@example.com"}, {"password", "wrong-password-9"}},
                 headers({{"X-Request-Id", "req-wrong-password"}}))
                .status,
            401);
  EXPECT_EQ(login_response(app, "ghost@example.com", "wrong-password-9").status, 401);
  auto first = login(app, "ada@example.com", "password1");
  auto rotated = refresh(app, first.refresh_token);
  ASSERT_EQ(rotated.status, 200);
  secrets.insert(secrets.end(), {first.access_token, first.refresh_token, str(body_of(rotated).at("access_token")),
                                 str(body_of(rotated).at("refresh_token"))});
  EXPECT_EQ(refresh(app, first.refresh_token).status, 401);  // reuse

  auto second = login(app, "ada@example.com", "password1");
  secrets.insert(secrets.end(), {second.access_token, second.refresh_token});
  EXPECT_EQ(post(app, "/api/auth/logout", {{"refresh_token", second.refresh_token}}, bearer(second.access_token)).status,
            204);

  app.clock().advance(std::chrono::seconds{1});  // the reset email is then the newest
  ASSERT_EQ(post(app, "/api/auth/forgot-password", {{"email", "ada@example.com"}}).status, 202);
  auto reset_token = app.last_token_sent_to("ada@example.com");
  secrets.push_back(reset_token);
  ASSERT_EQ(post(app, "/api/auth/reset-password", {{"token", reset_token}, {"password", "new-password-2"}}).status, 204);

  ASSERT_EQ(app.call(http::Method::patch, "/api/users/" + id, R"({"role":"vendor"})", bearer(admin.access_token)).status,
            200);
  ASSERT_EQ(app.call(http::Method::patch, "/api/users/" + id, R"({"disabled":true})", bearer(admin.access_token)).status,
            200);
  EXPECT_EQ(login_response(app, "ada@example.com", "new-password-2").status, 403);

  auto rows = audit_rows(database());
  auto expect_one = [&](std::string_view event, std::string_view outcome, const std::optional<std::string>& subject,
                        std::string_view reason = {}) -> std::optional<AuditRow> {
    auto found = find_audit(rows, event, outcome, subject, reason);
    EXPECT_EQ(found.size(), 1u) << event << " " << outcome << " reason '" << reason << "'";
    if (found.empty()) return std::nullopt;
    return found.front();
  };
  expect_one("admin_created", "success", admin.user_id, "command line");
  expect_one("user_registered", "success", id);
  expect_one("email_verified", "success", id);
  auto wrong = expect_one("login", "failure", id, "wrong_password");
  if (wrong) {
    EXPECT_EQ(wrong->ip, "127.0.0.1");
    EXPECT_EQ(wrong->request_id, "req-wrong-password");
  }
  expect_one("login", "failure", std::nullopt, "unknown_email");
  expect_one("login", "failure", id, "account_disabled");
  EXPECT_EQ(find_audit(rows, "login", "success", id).size(), 2u);
  EXPECT_EQ(find_audit(rows, "login", "success", admin.user_id).size(), 1u);
  expect_one("token_refreshed", "success", id);
  expect_one("refresh_token_reuse", "failure", id, "reuse_detected");
  auto logout = expect_one("logout", "success", id);
  if (logout) {
    EXPECT_EQ(logout->actor_id, id);
  }
  expect_one("password_reset", "success", id);
  auto role = expect_one("role_changed", "success", id, "customer->vendor");
  if (role) {
    EXPECT_EQ(role->actor_id, admin.user_id);
  }
  auto disabled = expect_one("user_disabled", "success", id);
  if (disabled) {
    EXPECT_EQ(disabled->actor_id, admin.user_id);
  }
  for (const auto& row : rows) {
    if (row.event == "admin_created") continue;  // made in process, not by a request
    EXPECT_FALSE(row.request_id.value_or("").empty()) << row.event;
    EXPECT_EQ(row.ip, "127.0.0.1") << row.event;
  }

  // No password or token anywhere: not in any column of the audit log, not in the log.
  auto all_audit = table_values(database(), "audit_log");
  auto log = app.log_text();
  for (const auto& secret : secrets) {
    ASSERT_FALSE(secret.empty());
    for (const auto& row : all_audit)
      for (const auto& value : row) EXPECT_EQ(value.find(secret), std::string::npos) << "audit_log holds " << secret;
    EXPECT_EQ(log.find(secret), std::string::npos) << "log holds " << secret;
  }
  for (auto event : {"user_registered", "email_verified", "login", "token_refreshed", "refresh_token_reuse", "logout",
                     "password_reset", "role_changed", "user_disabled"})
    EXPECT_NE(log.find(std::string(R"("audit_event":")") + event + "\""), std::string::npos) << event;
}

TEST_P(AccountsFieldEncryptionTest, NoPlaintextEmailInTheUsersTable) {
  AppHarness app(database(), accounts_config());
  auto id = register_user(app, "  Ada.Lovelace@Example.COM ", "password1");
  register_user(app, "bob@example.com", "password1", "vendor");
  app.application().auth().create_admin("root@admin.example", "admin-password-1");

  auto rows = table_values(database(), "users");
  ASSERT_EQ(rows.size(), 3u);
  for (const auto& row : rows)
    for (const auto& value : row) {
      auto text = lower(value);
      for (auto plain : {"ada.lovelace", "example.com", "bob@", "root@", "admin.example"})
        EXPECT_EQ(text.find(plain), std::string::npos) << "users holds '" << value << "'";
    }

  auto lease = database().acquire();
  auto result = lease->execute("SELECT email_encrypted, email_index FROM users WHERE id = $1", {id});
  ASSERT_EQ(result.rows.size(), 1u);
  auto encrypted = result.rows[0].text(0);
  EXPECT_EQ(encrypted.rfind("v1.", 0), 0u) << encrypted;
  EXPECT_EQ(result.rows[0].text(1).size(), 64u);
  EXPECT_EQ(app.application().cipher().decrypt(encrypted), "ada.lovelace@example.com");
  auto columns = lease->execute("SELECT * FROM users WHERE id = $1", {id}).columns;
  EXPECT_EQ(std::count(columns.begin(), columns.end(), "email"), 0) << "no plaintext email column";

  // Nor in the mail queue or the audit log.
  for (auto table : {"outbound_emails", "audit_log"})
    for (const auto& row : table_values(database(), table))
      for (const auto& value : row) EXPECT_EQ(lower(value).find("lovelace"), std::string::npos) << table << ": " << value;

  // The encrypted address still finds the account, in any case.
  EXPECT_EQ(login_response(app, "ADA.LOVELACE@example.com", "password1").status, 200);
}

TEST_P(AccountsFieldEncryptionTest, AccountsSurviveAKeyRotation) {
  auto old_config = accounts_config();
  auto new_config = accounts_config();
  std::vector<std::uint8_t> new_key(32, 0x5a);
  new_config.data_encryption_key = security::base64_encode(new_key);
  new_config.data_encryption_old_keys = {old_config.data_encryption_key};
  std::string id;
  {
    AppHarness before(database(), old_config);
    id = register_user(before, "ada@example.com", "password1");
  }
  AppHarness app(database(), new_config);
  auto r = login_response(app, "Ada@example.com", "password1");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(body_of(r).at("user").at("email"), "ada@example.com");
  auto again = post(app, "/api/auth/register", {{"email", "ada@example.com"}, {"password", "password2"}});
  EXPECT_EQ(again.status, 409) << "the blind index under the old key still counts";
  EXPECT_EQ(code_of(again), "email_taken");

  auto bob = register_user(app, "bob@example.com", "password1");
  auto lease = database().acquire();
  auto row = [&](const std::string& user) {
    return lease->execute("SELECT email_encrypted FROM users WHERE id = $1", {user}).rows.at(0).text(0);
  };
  EXPECT_FALSE(app.application().cipher().uses_current_key(row(id)));
  EXPECT_TRUE(app.application().cipher().uses_current_key(row(bob)));
  EXPECT_NE(row(id).substr(0, 12), row(bob).substr(0, 12)) << "each ciphertext names its key";
}

MERCATO_ACCOUNTS_BACKENDS(AccountsAuditTest);
MERCATO_ACCOUNTS_BACKENDS(AccountsFieldEncryptionTest);
