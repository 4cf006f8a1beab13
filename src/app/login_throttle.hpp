#pragma once
// The domain's per-account throttles over the in-memory limiters: LOGIN_FAILURES_PER_ACCOUNT
// failed sign-ins per account in 15 minutes, and one-time-link emails per account.

#include "domain/accounts/auth_service.hpp"
#include "http/rate_limit/failure_counter.hpp"
#include "http/rate_limit/token_bucket_limiter.hpp"

namespace mercato::app {

class MemoryLoginThrottle final : public domain::LoginThrottle {
 public:
  MemoryLoginThrottle(int max_failures, const Clock& clock)
      : failures_(max_failures, std::chrono::minutes{15}, 100'000, clock) {}

  std::optional<int> locked_for(std::string_view account_key) override {
    if (!failures_.blocked(account_key)) return std::nullopt;
    return failures_.retry_after_seconds(account_key);
  }
  void record_failure(std::string_view account_key) override { failures_.record_failure(account_key); }
  void reset(std::string_view account_key) override { failures_.reset(account_key); }

 private:
  http::FailureCounter failures_;
};

// AUTH_RATE_LIMIT_PER_MINUTE one-time-link emails per account and purpose.
class MemoryEmailThrottle final : public domain::EmailThrottle {
 public:
  MemoryEmailThrottle(int per_minute, const Clock& clock) : limiter_(per_minute, 100'000, clock) {}
  bool allow(std::string_view account_key) override { return limiter_.take(account_key).allowed; }

 private:
  http::TokenBucketLimiter limiter_;
};

}  // namespace mercato::app
