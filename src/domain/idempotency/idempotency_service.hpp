#pragma once
// Claims and releases idempotency keys for services that create things.

#include "core/clock.hpp"
#include "domain/idempotency/idempotency.hpp"
#include "security/random.hpp"

namespace mercato::domain {

class IdempotencyService {
 public:
  IdempotencyService(IdempotencyKeys& keys, const Clock& clock, security::RandomSource& random)
      : keys_(keys), clock_(clock), random_(random) {}

  // A claim to run the work under `key`, or the resource of the first request with it.
  // 409 `idempotency_key_in_use` while that one still runs; 422 `idempotency_key_reused`
  // when the key came with another request.
  IdempotencyClaim claim(const IdempotencyKey& key);
  void release(const IdempotencyKey& key, const IdempotencyClaim& claim) noexcept;

 private:
  IdempotencyKeys& keys_;
  const Clock& clock_;
  security::RandomSource& random_;
};

}  // namespace mercato::domain
