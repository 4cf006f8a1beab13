#include "http/security_headers.hpp"

namespace mercato::http {

void add_security_headers(Response& response) {
  auto& h = response.headers;
  h.set("X-Content-Type-Options", "nosniff");
  h.set("X-Frame-Options", "DENY");
  h.set("Referrer-Policy", "no-referrer");
  h.set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
  h.set("Strict-Transport-Security", "max-age=63072000; includeSubDomains");
  h.set("Cross-Origin-Resource-Policy", "same-site");
  // Personal data must not sit in shared caches; catalog routes opt in to caching.
  if (!h.contains("Cache-Control")) h.set("Cache-Control", "no-store");
}

}  // namespace mercato::http
