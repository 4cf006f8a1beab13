#pragma once
// GET /metrics: the Prometheus text of the process's counters, for a scraper holding the
// metrics token (not a user's: the route is registered only when a token is configured).

#include <string>

#include "http/router.hpp"
#include "observability/metrics_registry.hpp"
#include "observability/prometheus_text.hpp"

namespace mercato::api {

struct MetricsRouteSettings {
  std::string token;  // non-empty
  observability::BuildInfo build;
};

void add_metrics_routes(http::Router& router, const observability::MetricsRegistry& registry,
                        MetricsRouteSettings settings);

}  // namespace mercato::api
