#include "domain/accounts/cognito_authenticator.hpp"

#include <algorithm>
#include <stdexcept>

#include "core/error.hpp"
#include "core/time_format.hpp"
#include "domain/accounts/account_rules.hpp"
#include "security/uuid.hpp"

namespace mercato::domain {

namespace {

constexpr std::string_view placeholder_domain = "@cognito.invalid";
// Racing first sign-ins of one subject: each attempt either creates the user or finds the
// one another request created, so a second attempt settles it; the third is a margin.
constexpr int create_attempts = 3;

// Thrown inside the transaction to roll back the user row when the link lost a race.
struct LinkTaken {};

bool has(const std::vector<std::string>& groups, std::string_view name) {
  return std::find(groups.begin(), groups.end(), name) != groups.end();
}

// The token's verified address when it is one we could store; nullopt otherwise.
std::optional<std::string> verified_email(const security::CognitoClaims& claims) {
  if (claims.token_use != "id" || !claims.email || !claims.email_verified) return std::nullopt;
  auto email = normalize_email(*claims.email);
  if (!is_valid_email(email) || is_placeholder_email(email)) return std::nullopt;
  return email;
}

AuditEvent system_audit(std::string event, std::string subject_id, std::string reason) {
  return AuditEvent{std::move(event), true, "", std::move(subject_id), "", "", std::move(reason)};
}

}  // namespace

std::string_view role_from_groups(const std::vector<std::string>& groups) {
  if (has(groups, role_admin)) return role_admin;
  if (has(groups, role_vendor)) return role_vendor;
  return role_customer;
}

std::string placeholder_email(std::string_view subject) {
  return normalize_email(std::string(subject) + std::string(placeholder_domain));
}

bool is_placeholder_email(std::string_view email) { return email.ends_with(placeholder_domain); }

CognitoAuthenticator::CognitoAuthenticator(const security::CognitoTokenVerifier& verifier,
                                           AccountTransactions& transactions, observability::Logger& log,
                                           const Clock& clock, security::RandomSource& random)
    : verifier_(verifier), transactions_(transactions), log_(log), clock_(clock), random_(random) {}

std::string CognitoAuthenticator::now_text() const { return format_rfc3339(clock_.now()); }

Principal CognitoAuthenticator::authenticate(std::string_view token) {
  auto verification = verifier_.verify(token);
  using Outcome = security::CognitoVerification::Outcome;
  if (verification.outcome == Outcome::unavailable) {
    log_.warn("identity_provider_unavailable", {{"provider", cognito_provider}});
    throw Error::unavailable("identity_provider_unavailable",
                             "Sign-in with the identity provider cannot be checked right now; try again shortly.")
        .with_retry_after(verification.retry_after_seconds);
  }
  if (verification.outcome != Outcome::valid)
    throw Error{ErrorKind::unauthorized, "invalid_token", "The access token is not valid."};
  const auto& claims = *verification.claims;
  auto record = find_or_create(claims);
  if (record.user.disabled) throw Error{ErrorKind::unauthorized, "account_disabled", "This account is disabled."};
  auto user = reconcile(std::move(record.user), claims);
  return Principal{user.id, user.role, claims.session_id, user.email_verified};
}

UserRecord CognitoAuthenticator::find_or_create(const security::CognitoClaims& claims) {
  for (int attempt = 0; attempt < create_attempts; ++attempt) {
    std::optional<UserRecord> record;
    transactions_.read(
        [&](AccountStore& store) { record = store.external_identities().find_user(cognito_provider, claims.subject); });
    if (record) return *record;
    if (auto created = try_create(claims)) return *created;
  }
  throw std::runtime_error("first sign-in of a Cognito user neither created nor found it");
}

// nullopt when a racing request for the same subject got there first.
std::optional<UserRecord> CognitoAuthenticator::try_create(const security::CognitoClaims& claims) {
  std::optional<UserRecord> out;
  bool email_conflict = false;
  try {
    transactions_.run([&](AccountStore& store) {
      if (auto existing = store.external_identities().find_user(cognito_provider, claims.subject)) {
        out = existing;
        return;
      }
      auto email = verified_email(claims);
      // An unverified address is not stored: it could be anyone's.
      if (email && store.users().find_by_email(*email)) {
        email_conflict = true;
        email.reset();
      }
      auto now = now_text();
      User user{security::uuid_v7(clock_, random_), email.value_or(placeholder_email(claims.subject)),
                std::string(role_from_groups(claims.groups)), email.has_value(), false, now, now};
      if (!store.users().insert(user, std::string(no_local_password))) return;  // the address was taken meanwhile
      if (!store.external_identities().link(cognito_provider, claims.subject, user.id, now)) throw LinkTaken{};
      store.audit().record(system_audit("external_user_created", user.id, "cognito"));
      out = UserRecord{std::move(user), std::string(no_local_password)};
    });
  } catch (const LinkTaken&) {
    return std::nullopt;
  }
  if (out && email_conflict) log_.warn("cognito_email_conflict", {{"user_id", out->user.id}});
  return out;
}

// The pool is the authority on the role and the verified address: copy them when they
// differ. Cheap when nothing changed (no transaction at all).
User CognitoAuthenticator::reconcile(User user, const security::CognitoClaims& claims) {
  auto role = std::string(role_from_groups(claims.groups));
  auto email = verified_email(claims);
  bool new_email = email && *email != user.email;
  bool verify = email && !user.email_verified;
  if (role == user.role && !new_email && !verify) return user;
  bool email_conflict = false;
  transactions_.run([&](AccountStore& store) {
    auto current = store.users().find_by_id(user.id);
    if (!current) return;
    user = current->user;
    auto now = now_text();
    if (role != user.role) {
      // The stored "disabled" is read in this transaction, so an admin's concurrent
      // disabling is not undone.
      store.users().set_role_and_disabled(user.id, role, user.disabled, now);
      store.audit().record(system_audit("role_changed", user.id, user.role + "->" + role + " (cognito:groups)"));
      user.role = role;
    }
    if (email && *email != user.email) {
      if (store.users().set_email(user.id, *email, now)) {
        store.audit().record(system_audit("email_changed", user.id, "cognito"));
        user.email = *email;
      } else {
        email_conflict = true;
      }
    }
    if (email && *email == user.email && !user.email_verified) {
      store.users().mark_email_verified(user.id, now);
      user.email_verified = true;
    }
  });
  // Merging two accounts is an admin's decision; the user keeps the address they had.
  if (email_conflict) log_.warn("cognito_email_conflict", {{"user_id", user.id}});
  return user;
}

}  // namespace mercato::domain
