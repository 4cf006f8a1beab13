#pragma once
// /api/auth/*: registration, verification, sign-in, refresh, sign-out, passwords.

#include <string>
#include <vector>

#include "domain/accounts/auth_service.hpp"
#include "http/router.hpp"

namespace mercato::api {

struct AuthRouteSettings {
  // Origins allowed to use the refresh cookie (CSRF defence); CORS_ALLOWED_ORIGINS.
  std::vector<std::string> cookie_origins;
  std::chrono::seconds refresh_cookie_lifetime{30 * 24 * 3600};
};

inline constexpr std::string_view refresh_cookie_name = "__Secure-mercato_refresh";

void add_auth_routes(http::Router& router, domain::AuthService& auth, AuthRouteSettings settings);

}  // namespace mercato::api
