#pragma once
// Maps (method, path) to a handler. Templates use ":name" segments ("/api/orders/:id").
// Plain data: the route table can be listed by tests and checked against OpenAPI.

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/access_policy.hpp"
#include "http/request.hpp"
#include "http/response.hpp"

namespace mercato::http {

using Handler = std::function<Response(Request&)>;

// Which rate limit a route counts against: every route the per-IP limit, sign-in and
// account-recovery routes also the tighter one.
enum class RateLimitClass { standard, sensitive };

struct Route {
  Method method;
  std::string path_template;
  AccessPolicy access;
  Handler handler;
  RateLimitClass rate_limit = RateLimitClass::standard;
};

struct RouteMatch {
  enum class Outcome { found, not_found, method_not_allowed };
  Outcome outcome = Outcome::not_found;
  const Route* route = nullptr;
  std::map<std::string, std::string, std::less<>> params;
  std::vector<Method> allowed;  // with method_not_allowed
};

class Router {
 public:
  // Throws std::invalid_argument for a malformed template or a duplicate route.
  void add(Route route);
  RouteMatch match(Method method, std::string_view path) const;
  const std::vector<Route>& routes() const noexcept { return routes_; }

 private:
  std::vector<Route> routes_;
};

}  // namespace mercato::http
