#pragma once
// Idempotent creation (the IETF Idempotency-Key draft, as Stripe does it): a client's key,
// per user and scope, remembers a fingerprint of the request and, once the work has
// committed, the resource it made. The same key and request answer that resource again;
// while the first is still running a duplicate is refused; another request under the same
// key is an error. Orders use it, payments will.

#include <chrono>
#include <optional>
#include <string>

namespace mercato::domain {

inline constexpr std::chrono::hours idempotency_key_lifetime{24};
// A claim older than this is taken as abandoned (its process died): another request may
// take the key over. The work commits only while it still holds its claim, so a takeover
// can never produce a second resource.
inline constexpr std::chrono::minutes idempotency_claim_timeout{5};

struct IdempotencyKey {
  std::string user_id;
  std::string scope;  // "orders" | "payments"
  std::string key;
  std::string fingerprint;  // a digest of what the request asks for
};

struct IdempotencyClaim {
  std::string token;  // empty when the key was already completed
  std::optional<std::string> completed_resource_id;
};

// Storage of the keys; each call is atomic on its own.
class IdempotencyKeys {
 public:
  virtual ~IdempotencyKeys() = default;
  enum class Outcome { claimed, in_progress, reused, completed };
  struct Result {
    Outcome outcome;
    std::optional<std::string> resource_id;  // with completed
  };
  virtual Result claim(const IdempotencyKey& key, std::string_view token, std::string_view now,
                       std::string_view stale_before, std::string_view expires_at) = 0;
  // Frees the key after the work failed, so that the client may try again.
  virtual void release(const IdempotencyKey& key, std::string_view token) noexcept = 0;
};

// Inside the work's own transaction: records the resource it made. False when the claim
// was lost meanwhile (the work must then roll back).
class IdempotencyCompletion {
 public:
  virtual ~IdempotencyCompletion() = default;
  virtual bool complete(const IdempotencyKey& key, std::string_view token, std::string_view resource_id,
                        std::string_view now) = 0;
};

}  // namespace mercato::domain
