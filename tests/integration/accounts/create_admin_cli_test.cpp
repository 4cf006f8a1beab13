// `mercato create-admin --email E` (password on standard input) through the real binary,
// on both backends, and the admin it makes signing in through the API.

#include <gtest/gtest.h>

#include "integration/accounts/accounts_test_support.hpp"
#include "support/child_process.hpp"

using namespace mercato;
using namespace mercato::testing::accounts;
using mercato::testing::AppHarness;
using mercato::testing::run_binary;

namespace {

class AccountsCreateAdminCliTest : public mercato::testing::BackendTest {
 protected:
  mercato::testing::TestDatabaseOptions database_options() const override { return {.migrate = false}; }

  // The same keys as AppHarness::default_config(), so that the harness reads what the binary wrote.
  std::map<std::string, std::string> env() const {
    auto config = AppHarness::default_config();
    return {{"DATABASE_URL", db_->url()},
            {"APP_ENV", "development"},
            {"LOG_LEVEL", "info"},
            {"BCRYPT_COST", "4"},
            {"JWT_SECRET", config.jwt_secret},
            {"DATA_ENCRYPTION_KEY", config.data_encryption_key},
            {"DATA_ENCRYPTION_OLD_KEYS", ""}};
  }

  mercato::testing::Completed create_admin(std::vector<std::string> extra_args, const std::string& stdin_text) {
    std::vector<std::string> args{MERCATO_BINARY_PATH, "create-admin"};
    args.insert(args.end(), extra_args.begin(), extra_args.end());
    return run_binary(args, env(), stdin_text);
  }

  std::int64_t user_count() {
    auto lease = database().acquire();
    return lease->execute("SELECT COUNT(*) FROM users").rows.at(0).int64(0);
  }
};

}  // namespace

TEST_P(AccountsCreateAdminCliTest, CreatesAVerifiedAdminThatCanSignIn) {
  auto migrate = run_binary({MERCATO_BINARY_PATH, "migrate"}, env());
  ASSERT_EQ(migrate.code, 0) << migrate.err;

  const std::string password = "cli-admin-password-1";
  auto made = create_admin({"--email", " Root@Admin.Example"}, password + "\n");
  ASSERT_EQ(made.code, 0) << made.out << made.err;
  EXPECT_EQ(made.out.find(password), std::string::npos);
  EXPECT_EQ(made.err.find(password), std::string::npos);
  EXPECT_EQ(made.out.find("root@admin.example"), std::string::npos) << "the address is not logged";

  {
    auto lease = database().acquire();
    auto rows = lease->execute("SELECT role, email_verified, disabled, password_hash FROM users").rows;
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].text(0), "admin");
    EXPECT_TRUE(rows[0].boolean(1));
    EXPECT_FALSE(rows[0].boolean(2));
    EXPECT_EQ(rows[0].text(3).rfind("$2b$04$", 0), 0u) << rows[0].text(3);
  }

  AppHarness app(database(), accounts_config());
  auto r = login_response(app, "root@admin.example", password);
  ASSERT_EQ(r.status, 200) << r.body;
  auto user = body_of(r).at("user").as_object();
  EXPECT_EQ(user.at("role"), "admin");
  EXPECT_EQ(user.at("email_verified"), true);
  EXPECT_EQ(app.call(http::Method::get, "/api/users", {}, bearer(str(body_of(r).at("access_token")))).status, 200);

  // A second admin with a CRLF-terminated password (as typed on Windows terminals).
  auto crlf = create_admin({"--email", "second@admin.example"}, password + "\r\n");
  ASSERT_EQ(crlf.code, 0) << crlf.err;
  EXPECT_EQ(login_response(app, "second@admin.example", password).status, 200);

  auto again = create_admin({"--email", "ROOT@admin.example"}, "another-password-2\n");
  EXPECT_EQ(again.code, 2) << again.out << again.err;
  EXPECT_EQ(user_count(), 2);
}

TEST_P(AccountsCreateAdminCliTest, RefusesBadArgumentsAndPasswordsWithExitCode2) {
  ASSERT_EQ(run_binary({MERCATO_BINARY_PATH, "migrate"}, env()).code, 0);

  auto no_email = create_admin({}, "cli-admin-password-1\n");
  EXPECT_EQ(no_email.code, 2);
  EXPECT_NE(no_email.err.find("--email"), std::string::npos) << no_email.err;
  auto dangling = create_admin({"--email"}, "cli-admin-password-1\n");
  EXPECT_EQ(dangling.code, 2);

  auto short_password = create_admin({"--email", "root@admin.example"}, "1234567\n");
  EXPECT_EQ(short_password.code, 2);
  EXPECT_NE(short_password.err.find("password"), std::string::npos) << short_password.err;
  EXPECT_EQ(short_password.err.find("1234567"), std::string::npos);
  auto long_password = create_admin({"--email", "root@admin.example"}, std::string(73, 'p') + "\n");
  EXPECT_EQ(long_password.code, 2);
  auto empty_stdin = create_admin({"--email", "root@admin.example"}, "");
  EXPECT_EQ(empty_stdin.code, 2);
  auto bad_email = create_admin({"--email", "not-an-address"}, "cli-admin-password-1\n");
  EXPECT_EQ(bad_email.code, 2);
  EXPECT_NE(bad_email.err.find("email"), std::string::npos) << bad_email.err;

  EXPECT_EQ(user_count(), 0);
}

TEST_P(AccountsCreateAdminCliTest, RefusesAnUnmigratedDatabase) {
  auto r = create_admin({"--email", "root@admin.example"}, "cli-admin-password-1\n");
  EXPECT_EQ(r.code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find("migrate"), std::string::npos) << r.err;
}

MERCATO_ACCOUNTS_BACKENDS(AccountsCreateAdminCliTest);
