#include "http/cors.hpp"

#include <algorithm>

#include "core/error.hpp"
#include "http/problem.hpp"

namespace mercato::http {

namespace {

constexpr std::string_view allowed_headers = "Authorization, Content-Type, Idempotency-Key, X-Request-Id, Last-Event-ID";
constexpr std::string_view exposed_headers = "X-Request-Id, Retry-After, ETag, Location, Idempotent-Replayed";

std::string join_methods(const std::vector<Method>& methods) {
  std::string out;
  for (auto method : methods) {
    if (!out.empty()) out += ", ";
    out += to_string(method);
  }
  return out;
}

}  // namespace

bool CorsPolicy::allows(std::string_view origin) const {
  return std::find(allowed_origins_.begin(), allowed_origins_.end(), origin) != allowed_origins_.end();
}

bool CorsPolicy::is_preflight(const Request& request) {
  return request.method == Method::options && request.headers.contains("Origin") &&
         request.headers.contains("Access-Control-Request-Method");
}

Response CorsPolicy::preflight(const Request& request, const std::vector<Method>& route_methods) const {
  auto origin = request.headers.get("Origin").value_or("");
  if (!allows(origin))
    return problem_response(Error{ErrorKind::forbidden, "origin_not_allowed", "This origin may not call the API."});
  auto response = Response::no_content();
  response.headers.set("Access-Control-Allow-Origin", std::string{origin});
  response.headers.set("Access-Control-Allow-Credentials", "true");
  response.headers.set("Access-Control-Allow-Methods", join_methods(route_methods));
  response.headers.set("Access-Control-Allow-Headers", std::string{allowed_headers});
  response.headers.set("Access-Control-Max-Age", "600");
  response.headers.set("Vary", "Origin");
  return response;
}

void CorsPolicy::decorate(const Request& request, Response& response) const {
  // Every answer depends on Origin, also one to a request without it: a shared cache must
  // not hand a cached catalog page without CORS headers to a cross-origin caller.
  response.headers.set("Vary", "Origin");
  auto origin = request.headers.get("Origin");
  if (!origin || !allows(*origin)) return;
  response.headers.set("Access-Control-Allow-Origin", std::string{*origin});
  response.headers.set("Access-Control-Allow-Credentials", "true");
  response.headers.set("Access-Control-Expose-Headers", std::string{exposed_headers});
}

}  // namespace mercato::http
