#include "http/rate_limit/rate_limits.hpp"

#include <arpa/inet.h>

#include <algorithm>

#include "core/error.hpp"

namespace mercato::http {

namespace {

// An IPv6 client controls a whole /64, so it is limited as one, whatever the spelling.
std::string client_key(std::string_view ip) {
  if (ip.find(':') == std::string_view::npos) return std::string(ip);
  in6_addr address{};
  if (inet_pton(AF_INET6, std::string(ip).c_str(), &address) != 1) return std::string(ip);
  std::fill(address.s6_addr + 8, address.s6_addr + 16, 0);
  char text[INET6_ADDRSTRLEN];
  inet_ntop(AF_INET6, &address, text, sizeof text);
  return std::string(text) + "/64";
}

void enforce(TokenBucketLimiter& limiter, const std::string& key) {
  auto decision = limiter.take(key);
  if (!decision.allowed)
    throw Error{ErrorKind::rate_limited, "rate_limited", "Too many requests; slow down."}.with_retry_after(
        decision.retry_after_seconds);
}

}  // namespace

RateLimits::RateLimits(int per_minute, int sensitive_per_minute, const Clock& clock)
    : all_routes_(per_minute, max_clients, clock), sensitive_routes_(sensitive_per_minute, max_clients, clock) {}

void RateLimits::check(const Request& request, RateLimitClass rate_limit) {
  auto key = client_key(request.client_ip.empty() ? request.remote_address : request.client_ip);
  enforce(all_routes_, key);
  if (rate_limit == RateLimitClass::sensitive) enforce(sensitive_routes_, key);
}

}  // namespace mercato::http
