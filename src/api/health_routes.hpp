#pragma once
// GET /api/health.

#include <string>

#include "domain/health/health_service.hpp"
#include "http/router.hpp"

namespace mercato::api {

void add_health_routes(http::Router& router, const domain::HealthService& health, std::string version);

}  // namespace mercato::api
