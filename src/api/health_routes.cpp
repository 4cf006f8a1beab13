#include "api/health_routes.hpp"

#include <boost/json/value.hpp>

#include <cmath>

#include "http/json.hpp"

namespace mercato::api {

namespace {

boost::json::object check_json(const domain::CheckResult& check) {
  boost::json::object out{{"status", check.ok ? "ok" : "fail"},
                          {"latency_ms", std::round(check.latency_ms * 1000) / 1000}};
  if (!check.ok) out["error"] = check.error;
  return out;
}

http::Response health(const domain::HealthService& service, const std::string& version) {
  auto report = service.check();
  boost::json::object checks;
  std::string failing;
  for (const auto& check : report.checks) {
    checks[check.name] = check_json(check);
    if (!check.ok) failing += (failing.empty() ? "" : ", ") + check.name;
  }
  boost::json::object body{{"status", report.ok ? "ok" : "fail"}, {"version", version}, {"checks", std::move(checks)}};
  if (!report.ok) body["failing"] = failing;
  auto response = http::json_response(report.ok ? 200 : 503, body);
  if (!report.ok) response.headers.set("Retry-After", "5");
  return response;
}

}  // namespace

void add_health_routes(http::Router& router, const domain::HealthService& service, std::string version) {
  router.add({http::Method::get, "/api/health", http::AccessPolicy::anyone(),
              [&service, version = std::move(version)](http::Request&) { return health(service, version); }});
}

}  // namespace mercato::api
