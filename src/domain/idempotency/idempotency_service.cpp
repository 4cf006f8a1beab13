#include "domain/idempotency/idempotency_service.hpp"

#include "core/error.hpp"
#include "core/time_format.hpp"
#include "security/random.hpp"

namespace mercato::domain {

IdempotencyClaim IdempotencyService::claim(const IdempotencyKey& key) {
  auto now = clock_.now();
  auto token = security::random_hex(random_, 16);
  auto result = keys_.claim(key, token, format_rfc3339(now), format_rfc3339(now - idempotency_claim_timeout),
                            format_rfc3339(now + idempotency_key_lifetime));
  switch (result.outcome) {
    case IdempotencyKeys::Outcome::claimed: return {token, std::nullopt};
    case IdempotencyKeys::Outcome::completed: return {{}, result.resource_id};
    case IdempotencyKeys::Outcome::in_progress:
      throw Error::conflict("idempotency_key_in_use",
                            "A request with this Idempotency-Key is still being processed; retry shortly.");
    case IdempotencyKeys::Outcome::reused:
      throw Error{ErrorKind::unprocessable, "idempotency_key_reused",
                  "This Idempotency-Key was used with a different request."};
  }
  throw Error{ErrorKind::internal, "internal_error", "Unknown idempotency outcome."};
}

void IdempotencyService::release(const IdempotencyKey& key, const IdempotencyClaim& claim) noexcept {
  if (!claim.token.empty()) keys_.release(key, claim.token);
}

}  // namespace mercato::domain
