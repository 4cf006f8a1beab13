#pragma once
// Checks that services of other areas apply to the caller.

#include "core/principal.hpp"

namespace mercato::domain {

// Placing an order or a payment needs a verified email: 403 `email_not_verified`.
void require_verified_email(const Principal& principal);

}  // namespace mercato::domain
