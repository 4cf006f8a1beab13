#pragma once
// The domain's LoginThrottle over the in-memory FailureCounter: LOGIN_FAILURES_PER_ACCOUNT
// failed sign-ins per account in 15 minutes, whatever the IP.

#include "domain/accounts/auth_service.hpp"
#include "http/rate_limit/failure_counter.hpp"

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

}  // namespace mercato::app
