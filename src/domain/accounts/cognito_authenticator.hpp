#pragma once
// Callers signed in at an Amazon Cognito user pool: a verified token becomes a Principal
// backed by a local user, created the first time its subject is seen. The pool owns the
// role (cognito:groups) and the verified email; the local record owns "disabled".

#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/principal.hpp"
#include "domain/accounts/account_store.hpp"
#include "observability/logger.hpp"
#include "security/cognito_token_verifier.hpp"
#include "security/random.hpp"

namespace mercato::domain {

inline constexpr std::string_view cognito_provider = "cognito";

// "admin" in the groups wins, then "vendor"; anyone else is a customer.
std::string_view role_from_groups(const std::vector<std::string>& groups);

// Access tokens carry no email: the user gets "<sub>@cognito.invalid" (RFC 2606) until an
// ID token with a verified address is seen.
std::string placeholder_email(std::string_view subject);
bool is_placeholder_email(std::string_view email);

class CognitoAuthenticator {
 public:
  // verifier, transactions, log, clock and random must outlive the authenticator.
  CognitoAuthenticator(const security::CognitoTokenVerifier& verifier, AccountTransactions& transactions,
                       observability::Logger& log, const Clock& clock, security::RandomSource& random);

  // Throws Error: unauthorized invalid_token or account_disabled; unavailable
  // identity_provider_unavailable (with Retry-After) when the pool's keys cannot be had.
  Principal authenticate(std::string_view token);

 private:
  UserRecord find_or_create(const security::CognitoClaims& claims);
  std::optional<UserRecord> try_create(const security::CognitoClaims& claims);
  User reconcile(User user, const security::CognitoClaims& claims);
  std::string now_text() const;

  const security::CognitoTokenVerifier& verifier_;
  AccountTransactions& transactions_;
  observability::Logger& log_;
  const Clock& clock_;
  security::RandomSource& random_;
};

}  // namespace mercato::domain
