#pragma once
// Accounts: registration, email verification, sign-in with rotating refresh tokens,
// password changes and resets, and turning an access token into a Principal.
// The rules live here; storage, hashing, tokens and mail come in through interfaces.

#include <chrono>
#include <optional>
#include <string>

#include "core/clock.hpp"
#include "core/principal.hpp"
#include "domain/accounts/account_store.hpp"
#include "domain/accounts/request_context.hpp"
#include "security/jwt.hpp"
#include "security/password_hasher.hpp"
#include "security/random.hpp"

namespace mercato::domain {

// Failed sign-ins per account (API.md: LOGIN_FAILURES_PER_ACCOUNT in 15 minutes).
class LoginThrottle {
 public:
  virtual ~LoginThrottle() = default;
  // Seconds to wait when the account is locked, nullopt when sign-in may be tried.
  virtual std::optional<int> locked_for(std::string_view account_key) = 0;
  virtual void record_failure(std::string_view account_key) = 0;
  virtual void reset(std::string_view account_key) = 0;
};

// Emails with one-time links per account, whatever the IP (so no one can flood an inbox
// through many addresses).
class EmailThrottle {
 public:
  virtual ~EmailThrottle() = default;
  // True when one more email to `account_key` may go out now (and counts it).
  virtual bool allow(std::string_view account_key) = 0;
};

struct AuthSettings {
  std::string app_base_url;                           // email links: <base>/verify-email?token=...
  std::chrono::hours verification_lifetime{24};
  std::chrono::hours reset_lifetime{1};
  std::chrono::hours refresh_family_lifetime{24 * 30};  // absolute: a login lasts 30 days at most
};

struct SignedIn {
  std::string access_token;
  std::int64_t expires_in = 0;  // seconds
  std::string refresh_token;
  User user;
};

class AuthService {
 public:
  AuthService(AccountTransactions& transactions, const security::PasswordHasher& hasher,
              const security::JwtSigner& jwt, LoginThrottle& throttle, EmailThrottle& email_throttle,
              AuthSettings settings, const Clock& clock, security::RandomSource& random);

  User register_user(const RequestContext& ctx, std::string_view email, std::string_view password,
                     std::string_view role);
  User verify_email(const RequestContext& ctx, std::string_view token);
  void resend_verification(const RequestContext& ctx, std::string_view email);
  SignedIn login(const RequestContext& ctx, std::string_view email, std::string_view password);
  SignedIn refresh(const RequestContext& ctx, std::string_view refresh_token);
  void logout(const RequestContext& ctx, std::string_view refresh_token);
  User me(const Principal& principal);
  void forgot_password(const RequestContext& ctx, std::string_view email);
  void reset_password(const RequestContext& ctx, std::string_view token, std::string_view new_password);
  void change_password(const RequestContext& ctx, const Principal& principal, std::string_view current_password,
                       std::string_view new_password);
  // For `mercato create-admin`: a verified admin account.
  User create_admin(std::string_view email, std::string_view password);

  // The caller behind a valid access token whose user is enabled and whose login is not
  // revoked; nullopt for a token that does not verify. The role comes from the database,
  // so a role change or a disabled account takes effect at once.
  std::optional<Principal> authenticate(std::string_view access_token);

 private:
  SignedIn start_session(AccountStore& store, const User& user, std::string family_id);
  SignedIn issue_tokens(AccountStore& store, const User& user, const std::string& family_id);
  void send_token_email(AccountStore& store, const User& user, TokenPurpose purpose);
  std::string now_text() const;
  std::string id();

  AccountTransactions& transactions_;
  const security::PasswordHasher& hasher_;
  const security::JwtSigner& jwt_;
  LoginThrottle& throttle_;
  EmailThrottle& email_throttle_;
  AuthSettings settings_;
  const Clock& clock_;
  security::RandomSource& random_;
};

}  // namespace mercato::domain
