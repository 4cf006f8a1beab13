#pragma once
// The request-rate limits of API.md, per client IP: RATE_LIMIT_PER_MINUTE on every route
// and AUTH_RATE_LIMIT_PER_MINUTE on the sensitive ones. In memory, per process: behind a
// load balancer each process limits on its own (the edge throttles globally).

#include "core/clock.hpp"
#include "http/rate_limit/token_bucket_limiter.hpp"
#include "http/request.hpp"
#include "http/router.hpp"

namespace mercato::http {

class RateLimits {
 public:
  RateLimits(int per_minute, int sensitive_per_minute, const Clock& clock);
  // Throws Error(rate_limited) with Retry-After when the client is over a limit.
  void check(const Request& request, RateLimitClass rate_limit);

 private:
  static constexpr std::size_t max_clients = 100'000;
  TokenBucketLimiter all_routes_;
  TokenBucketLimiter sensitive_routes_;
};

}  // namespace mercato::http
