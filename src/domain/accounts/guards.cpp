#include "domain/accounts/guards.hpp"

#include "core/error.hpp"

namespace mercato::domain {

void require_verified_email(const Principal& principal) {
  if (!principal.email_verified)
    throw Error{ErrorKind::forbidden, "email_not_verified", "Confirm your email address first; we can send a new link."};
}

}  // namespace mercato::domain
