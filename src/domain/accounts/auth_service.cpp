#include "domain/accounts/auth_service.hpp"

#include "core/error.hpp"
#include "core/time_format.hpp"
#include "domain/accounts/account_rules.hpp"
#include "security/secure_token.hpp"
#include "security/uuid.hpp"

namespace mercato::domain {

namespace {

Error invalid_credentials() {
  return {ErrorKind::unauthorized, "invalid_credentials", "The email or password is not correct."};
}
Error account_disabled() { return {ErrorKind::forbidden, "account_disabled", "This account is disabled."}; }
Error invalid_token() {
  return Error::invalid("invalid_token", "The link is not valid: it is unknown, used or expired. Ask for a new one.");
}
Error invalid_refresh_token() {
  return {ErrorKind::unauthorized, "invalid_refresh_token", "The refresh token is not valid; sign in again."};
}
Error refresh_token_reused() {
  return {ErrorKind::unauthorized, "refresh_token_reused",
          "This refresh token was already used; every token of this sign-in is now revoked. Sign in again."};
}

AuditEvent audit_of(const RequestContext& ctx, std::string event, std::string subject_id, bool success = true,
                    std::string reason = {}) {
  return AuditEvent{std::move(event),
                    success,
                    ctx.actor ? ctx.actor->user_id : std::string{},
                    std::move(subject_id),
                    ctx.ip,
                    ctx.request_id,
                    std::move(reason)};
}

}  // namespace

AuthService::AuthService(AccountTransactions& transactions, const security::PasswordHasher& hasher,
                         const security::JwtSigner& jwt, LoginThrottle& throttle, EmailThrottle& email_throttle,
                         AuthSettings settings, const Clock& clock, security::RandomSource& random)
    : transactions_(transactions),
      hasher_(hasher),
      jwt_(jwt),
      throttle_(throttle),
      email_throttle_(email_throttle),
      settings_(std::move(settings)),
      clock_(clock),
      random_(random) {}

std::string AuthService::now_text() const { return format_rfc3339(clock_.now()); }
std::string AuthService::id() { return security::uuid_v7(clock_, random_); }

User AuthService::register_user(const RequestContext& ctx, std::string_view email_in, std::string_view password,
                                std::string_view role) {
  auto email = normalize_email(email_in);
  require_valid_email(email, "email");
  require_valid_password(password, "password");
  if (role == role_admin) throw Error{ErrorKind::forbidden, "role_not_allowed", "Admins cannot register themselves."};
  if (role != role_customer && role != role_vendor)
    throw Error::validation({{"role", "Must be customer or vendor."}});
  auto hash = hasher_.hash(password);  // slow on purpose: before any connection is held
  auto now = now_text();
  User user{id(), email, std::string(role), false, false, now, now};
  bool taken = false;
  transactions_.run([&](AccountStore& store) {
    if (!store.users().insert(user, hash)) {
      taken = true;
      return;
    }
    send_token_email(store, user, TokenPurpose::verify_email);
    store.audit().record(audit_of(ctx, "user_registered", user.id));
  });
  if (taken) throw Error::conflict("email_taken", "An account with this email already exists.");
  return user;
}

User AuthService::verify_email(const RequestContext& ctx, std::string_view token) {
  auto digest = security::token_digest(token);
  std::optional<User> verified;
  transactions_.run([&](AccountStore& store) {
    auto record = store.one_time_tokens().find(digest, TokenPurpose::verify_email);
    if (!record || !record->usable || record->expires_at <= now_text()) return;
    if (!store.one_time_tokens().consume(record->id, now_text())) return;
    store.users().mark_email_verified(record->user_id, now_text());
    verified = store.users().find_by_id(record->user_id)->user;
    store.audit().record(audit_of(ctx, "email_verified", record->user_id));
  });
  if (!verified) throw invalid_token();
  return *verified;
}

void AuthService::resend_verification(const RequestContext& ctx, std::string_view email) {
  auto normalized = normalize_email(email);
  transactions_.run([&](AccountStore& store) {
    auto record = store.users().find_by_email(normalized);
    // Cognito users' addresses are verified by the pool, not by our links.
    if (!record || record->user.email_verified || record->user.disabled || record->password_hash == no_local_password)
      return;
    if (!email_throttle_.allow("verify:" + normalized)) return;  // still 202: nothing to learn
    send_token_email(store, record->user, TokenPurpose::verify_email);
    store.audit().record(audit_of(ctx, "verification_resent", record->user.id));
  });
}

SignedIn AuthService::login(const RequestContext& ctx, std::string_view email_in, std::string_view password) {
  auto email = normalize_email(email_in);
  if (auto wait = throttle_.locked_for(email))
    throw Error{ErrorKind::rate_limited, "too_many_attempts", "Too many failed sign-ins; try again later."}
        .with_retry_after(*wait);
  std::optional<UserRecord> record;
  transactions_.read([&](AccountStore& store) { record = store.users().find_by_email(email); });
  // Same work for an unknown email, or a user with no local password (Cognito), as for a
  // wrong password, so timing reveals nothing.
  bool local = record && record->password_hash != no_local_password;
  bool password_ok = hasher_.verify(password, local ? record->password_hash : hasher_.dummy_hash()) && local;
  if (!record || !password_ok) {
    throttle_.record_failure(email);
    transactions_.run([&](AccountStore& store) {
      store.audit().record(audit_of(ctx, "login", record ? record->user.id : "", false,
                                    !record ? "unknown_email" : local ? "wrong_password" : "no_local_password"));
    });
    throw invalid_credentials();
  }
  if (record->user.disabled) {
    transactions_.run([&](AccountStore& store) {
      store.audit().record(audit_of(ctx, "login", record->user.id, false, "account_disabled"));
    });
    throw account_disabled();
  }
  throttle_.reset(email);
  SignedIn out;
  transactions_.run([&](AccountStore& store) {
    out = start_session(store, record->user, id());
    store.audit().record(audit_of(ctx, "login", record->user.id));
  });
  return out;
}

SignedIn AuthService::refresh(const RequestContext& ctx, std::string_view refresh_token) {
  auto digest = security::token_digest(refresh_token);
  std::optional<SignedIn> out;
  bool reused = false, disabled = false;
  transactions_.run([&](AccountStore& store) {
    auto token = store.sessions().find_token(digest);
    if (!token) return;
    // A spent token presented again means it was stolen or replayed: end the whole login
    // (RFC 9700 §4.14.2), and say so every time. Losing a race to spend it counts the same.
    bool usable = !token->family_revoked && token->family_expires_at > now_text();
    if (token->spent || (usable && !store.sessions().spend_token(token->token_id, now_text()))) {
      store.sessions().revoke_family(token->family_id, RevokeReason::reuse_detected, now_text());
      store.audit().record(audit_of(ctx, "refresh_token_reuse", token->user_id, false, "reuse_detected"));
      reused = true;
      return;
    }
    if (!usable) return;
    auto user = store.users().find_by_id(token->user_id);
    if (!user || user->user.disabled) {
      disabled = true;
      return;
    }
    out = issue_tokens(store, user->user, token->family_id);
    store.audit().record(audit_of(ctx, "token_refreshed", token->user_id));
  });
  if (reused) throw refresh_token_reused();
  if (disabled) throw account_disabled();
  if (!out) throw invalid_refresh_token();
  return *out;
}

void AuthService::logout(const RequestContext& ctx, std::string_view refresh_token) {
  auto digest = security::token_digest(refresh_token);
  transactions_.run([&](AccountStore& store) {
    std::string family = ctx.actor ? ctx.actor->session_id : "";
    if (!refresh_token.empty()) {
      auto token = store.sessions().find_token(digest);
      // Another user's token is left alone: logging out ends only one's own login.
      if (token && (!ctx.actor || token->user_id == ctx.actor->user_id)) family = token->family_id;
    }
    if (!family.empty()) store.sessions().revoke_family(family, RevokeReason::logout, now_text());
    store.audit().record(audit_of(ctx, "logout", ctx.actor ? ctx.actor->user_id : ""));
  });
}

User AuthService::me(const Principal& principal) {
  std::optional<UserRecord> record;
  transactions_.read([&](AccountStore& store) { record = store.users().find_by_id(principal.user_id); });
  if (!record) throw Error::not_found();
  return record->user;
}

void AuthService::forgot_password(const RequestContext& ctx, std::string_view email) {
  auto normalized = normalize_email(email);
  transactions_.run([&](AccountStore& store) {
    auto record = store.users().find_by_email(normalized);
    // Cognito users have no local password to reset: the pool resets theirs.
    if (!record || record->user.disabled || record->password_hash == no_local_password) return;
    if (!email_throttle_.allow("reset:" + normalized)) return;  // still 202: nothing to learn
    send_token_email(store, record->user, TokenPurpose::reset_password);
    store.audit().record(audit_of(ctx, "password_reset_requested", record->user.id));
  });
}

void AuthService::reset_password(const RequestContext& ctx, std::string_view token, std::string_view new_password) {
  require_valid_password(new_password, "password");
  auto hash = hasher_.hash(new_password);
  auto digest = security::token_digest(token);
  std::optional<std::string> email;
  transactions_.run([&](AccountStore& store) {
    auto record = store.one_time_tokens().find(digest, TokenPurpose::reset_password);
    if (!record || !record->usable || record->expires_at <= now_text()) return;
    if (!store.one_time_tokens().consume(record->id, now_text())) return;
    email = store.users().find_by_id(record->user_id)->user.email;
    store.users().set_password_hash(record->user_id, hash, now_text());
    store.sessions().revoke_user_families(record->user_id, RevokeReason::password_reset, now_text());
    store.audit().record(audit_of(ctx, "password_reset", record->user_id));
  });
  if (!email) throw invalid_token();
  // Whoever locked the account with wrong passwords cannot keep its owner out after a reset.
  throttle_.reset(*email);
}

void AuthService::change_password(const RequestContext& ctx, const Principal& principal,
                                  std::string_view current_password, std::string_view new_password) {
  require_valid_password(new_password, "new_password");
  std::optional<UserRecord> record;
  transactions_.read([&](AccountStore& store) { record = store.users().find_by_id(principal.user_id); });
  if (!record) throw Error::not_found();
  if (!hasher_.verify(current_password, record->password_hash)) {
    transactions_.run([&](AccountStore& store) {
      store.audit().record(audit_of(ctx, "password_changed", principal.user_id, false, "wrong_password"));
    });
    throw invalid_credentials();
  }
  auto hash = hasher_.hash(new_password);
  transactions_.run([&](AccountStore& store) {
    store.users().set_password_hash(principal.user_id, hash, now_text());
    store.sessions().revoke_user_families(principal.user_id, RevokeReason::password_changed, now_text(),
                                          principal.session_id);
    store.audit().record(audit_of(ctx, "password_changed", principal.user_id));
  });
}

User AuthService::create_admin(std::string_view email_in, std::string_view password) {
  auto email = normalize_email(email_in);
  require_valid_email(email, "email");
  require_valid_password(password, "password");
  auto hash = hasher_.hash(password);
  auto now = now_text();
  User user{id(), email, std::string(role_admin), true, false, now, now};
  bool taken = false;
  transactions_.run([&](AccountStore& store) {
    if (!store.users().insert(user, hash)) {
      taken = true;
      return;
    }
    store.users().mark_email_verified(user.id, now);
    store.audit().record(AuditEvent{"admin_created", true, "", user.id, "", "", "command line"});
  });
  if (taken) throw Error::conflict("email_taken", "An account with this email already exists.");
  return user;
}

std::optional<Principal> AuthService::authenticate(std::string_view access_token) {
  auto claims = jwt_.verify(access_token);
  if (!claims) throw Error{ErrorKind::unauthorized, "invalid_token", "The access token is not valid."};
  std::optional<SessionState> state;
  transactions_.read(
      [&](AccountStore& store) { state = store.sessions().session_state(claims->subject, claims->session_id, now_text()); });
  if (!state || state->session_revoked)
    throw Error{ErrorKind::unauthorized, "session_revoked", "This sign-in has ended; sign in again."};
  if (state->user_disabled) throw Error{ErrorKind::unauthorized, "account_disabled", "This account is disabled."};
  return Principal{claims->subject, state->role, claims->session_id, state->email_verified};
}

SignedIn AuthService::start_session(AccountStore& store, const User& user, std::string family_id) {
  auto expires = format_rfc3339(clock_.now() + settings_.refresh_family_lifetime);
  store.sessions().create_family(family_id, user.id, now_text(), expires);
  return issue_tokens(store, user, family_id);
}

SignedIn AuthService::issue_tokens(AccountStore& store, const User& user, const std::string& family_id) {
  auto refresh_token = security::random_token(random_);
  store.sessions().add_token(id(), family_id, security::token_digest(refresh_token), now_text());
  return SignedIn{jwt_.issue(user.id, user.role, family_id), jwt_.lifetime().count(), std::move(refresh_token), user};
}

void AuthService::send_token_email(AccountStore& store, const User& user, TokenPurpose purpose) {
  auto token = security::random_token(random_);
  bool verify = purpose == TokenPurpose::verify_email;
  auto lifetime = verify ? settings_.verification_lifetime : settings_.reset_lifetime;
  store.one_time_tokens().replace(id(), user.id, purpose, security::token_digest(token), now_text(),
                                  format_rfc3339(clock_.now() + lifetime));
  auto link = settings_.app_base_url + (verify ? "/verify-email?token=" : "/reset-password?token=") + token;
  EmailMessage message{user.email, verify ? "Confirm your email address" : "Reset your password", {}};
  message.text_body = verify ? "Welcome to Mercato.\r\n\r\nConfirm your email address by opening this link:\r\n\r\n" +
                                   link + "\r\n\r\nThe link is valid for 24 hours.\r\n"
                             : "Someone asked to reset the password of your Mercato account.\r\n\r\n"
                               "To choose a new password, open this link:\r\n\r\n" +
                                   link + "\r\n\r\nThe link is valid for 1 hour. If it was not you, ignore this email.\r\n";
  store.mail().enqueue(message);
}

}  // namespace mercato::domain
