#pragma once
// The Prometheus text exposition format (version 0.0.4) of a MetricsSnapshot: what
// GET /metrics answers.

#include <string>
#include <string_view>

#include "observability/metrics_registry.hpp"

namespace mercato::observability {

inline constexpr std::string_view prometheus_content_type = "text/plain; version=0.0.4; charset=utf-8";

struct BuildInfo {
  std::string version;
  double start_time_seconds = 0;  // since the Unix epoch
};

std::string prometheus_text(const MetricsSnapshot& snapshot, const BuildInfo& build);

// A label value between double quotes: backslash, double quote and line feed escaped.
std::string escape_label_value(std::string_view value);

}  // namespace mercato::observability
