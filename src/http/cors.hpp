#pragma once
// CORS for the configured origins only (credentials allowed, so never "*").

#include <string>
#include <string_view>
#include <vector>

#include "http/request.hpp"
#include "http/response.hpp"

namespace mercato::http {

class CorsPolicy {
 public:
  explicit CorsPolicy(std::vector<std::string> allowed_origins) : allowed_origins_(std::move(allowed_origins)) {}

  bool allows(std::string_view origin) const;
  static bool is_preflight(const Request& request);
  // 204 with the Access-Control-Allow-* headers, or 403 for an origin not allowed.
  Response preflight(const Request& request, const std::vector<Method>& route_methods) const;
  // Adds the headers an allowed origin needs on an actual response.
  void decorate(const Request& request, Response& response) const;

 private:
  std::vector<std::string> allowed_origins_;
};

}  // namespace mercato::http
