#include "api/metrics_routes.hpp"

#include "core/error.hpp"
#include "security/digest.hpp"

namespace mercato::api {

namespace {

// Digests are compared, not the strings, so that neither the token's content nor its
// length shows in the time taken.
bool carries_token(const http::Request& request, std::string_view token) {
  auto header = request.headers.get("Authorization");
  constexpr std::string_view scheme = "Bearer ";
  if (!header || header->size() <= scheme.size() || !http::iequals(header->substr(0, scheme.size()), scheme))
    return false;
  auto given = security::sha256(header->substr(scheme.size()));
  auto expected = security::sha256(token);
  return security::constant_time_equal({reinterpret_cast<const char*>(given.data()), given.size()},
                                       {reinterpret_cast<const char*>(expected.data()), expected.size()});
}

http::Response metrics(const observability::MetricsRegistry& registry, const MetricsRouteSettings& settings,
                       const http::Request& request) {
  if (!carries_token(request, settings.token))
    throw Error{ErrorKind::unauthorized, "invalid_metrics_token", "Use Authorization: Bearer <METRICS_TOKEN>."};
  http::Response response{200, {}, observability::prometheus_text(registry.snapshot(), settings.build)};
  response.headers.set("Content-Type", std::string(observability::prometheus_content_type));
  response.headers.set("Cache-Control", "no-store");
  return response;
}

}  // namespace

// Access is `anyone` for the pipeline: the scraper's bearer token is not a user's JWT, and
// the handler checks it itself (the pipeline ignores credentials on public routes).
void add_metrics_routes(http::Router& router, const observability::MetricsRegistry& registry,
                        MetricsRouteSettings settings) {
  router.add({http::Method::get, "/metrics", http::AccessPolicy::anyone(),
              [&registry, settings = std::move(settings)](http::Request& r) { return metrics(registry, settings, r); }});
}

}  // namespace mercato::api
