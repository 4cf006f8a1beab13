#pragma once
// Everything a request passes through between the transport and its handler: request id,
// CORS, routing (404/405), content-type check, access policy, error mapping, security
// headers and the access log. Transport-agnostic: the socket server, the Lambda loop and
// the in-process tests all call handle().

#include <functional>
#include <optional>

#include "core/principal.hpp"
#include "http/cors.hpp"
#include "http/rate_limit/client_ip.hpp"
#include "http/rate_limit/rate_limits.hpp"
#include "http/router.hpp"
#include "observability/logger.hpp"
#include "observability/metrics.hpp"
#include "security/random.hpp"

namespace mercato::http {

// Returns the caller's identity from the request's credentials, nullopt when it carries
// none; throws Error(unauthorized) for credentials that are present but not valid.
using Authenticator = std::function<std::optional<Principal>(const Request&)>;

// Optional stages: without them every client is one IP and nothing is rate limited.
struct PipelineGuards {
  const ClientIpResolver* client_ip = nullptr;
  RateLimits* rate_limits = nullptr;
  observability::Metrics* metrics = nullptr;
};

class Pipeline {
 public:
  Pipeline(const Router& router, CorsPolicy cors, Authenticator authenticate, observability::Logger& log,
           const Clock& clock, security::RandomSource& random, PipelineGuards guards = {});

  Response handle(Request& request) const;

 private:
  Response dispatch(Request& request) const;
  Response run_handler(const Route& route, Request& request) const;
  void enforce_access(const AccessPolicy& policy, Request& request) const;
  void assign_request_id(Request& request) const;
  void log_request(const Request& request, const Response& response, double duration_ms) const;
  void record_metrics(const Request& request, const Response& response, double duration_ms,
                      boost::json::object& access_line) const;

  const Router& router_;
  CorsPolicy cors_;
  Authenticator authenticate_;
  observability::Logger& log_;
  const Clock& clock_;
  security::RandomSource& random_;
  PipelineGuards guards_;
};

}  // namespace mercato::http
