#include "observability/prometheus_text.hpp"

#include <charconv>
#include <cmath>

namespace mercato::observability {

namespace {

// The shortest text that reads back as the same double ("0.005", "10", "1.5e-07").
std::string number(double value) {
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  char buffer[32];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  return ec == std::errc{} ? std::string(buffer, end) : "NaN";
}

std::string label(std::string_view name, std::string_view value) {
  return std::string(name) + "=\"" + escape_label_value(value) + '"';
}

void header(std::string& out, std::string_view name, std::string_view type, std::string_view help) {
  out.append("# HELP ").append(name).append(" ").append(help).append("\n");
  out.append("# TYPE ").append(name).append(" ").append(type).append("\n");
}

void sample(std::string& out, std::string_view name, const std::string& labels, std::string_view value) {
  out.append(name);
  if (!labels.empty()) out.append("{").append(labels).append("}");
  out.append(" ").append(value).append("\n");
}

std::string_view help_of(BusinessMetric metric) {
  switch (metric) {
    case BusinessMetric::orders_created: return "Orders created (an idempotent replay is not a new order).";
    case BusinessMetric::payments_completed: return "Payments a gateway webhook moved to completed.";
    case BusinessMetric::payments_failed: return "Payments a gateway webhook moved to failed.";
    case BusinessMetric::webhook_failures: return "Gateway webhooks refused (signature, malformed) or failed in processing.";
  }
  return "";
}

void requests(std::string& out, const MetricsSnapshot& snapshot) {
  constexpr std::string_view name = "mercato_http_requests_total";
  header(out, name, "counter", "Requests answered, by route template, method and status class.");
  for (const auto& series : snapshot.requests)
    sample(out, name,
           label("route", series.route) + ',' + label("method", series.method) + ',' +
               label("status_class", series.status_class),
           std::to_string(series.value));
}

void latencies(std::string& out, const MetricsSnapshot& snapshot) {
  constexpr std::string_view name = "mercato_http_request_duration_seconds";
  header(out, name, "histogram", "Time from a request's arrival to its answer, by route template.");
  for (const auto& histogram : snapshot.latencies) {
    auto route = label("route", histogram.route);
    for (std::size_t i = 0; i < histogram.cumulative.size(); ++i) {
      auto bound = i < latency_bucket_bounds.size() ? number(latency_bucket_bounds[i]) : "+Inf";
      sample(out, "mercato_http_request_duration_seconds_bucket", route + ',' + label("le", bound),
             std::to_string(histogram.cumulative[i]));
    }
    sample(out, "mercato_http_request_duration_seconds_sum", route, number(histogram.sum_seconds));
    sample(out, "mercato_http_request_duration_seconds_count", route, std::to_string(histogram.count));
  }
}

}  // namespace

std::string escape_label_value(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\') out += "\\\\";
    else if (c == '"') out += "\\\"";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

std::string prometheus_text(const MetricsSnapshot& snapshot, const BuildInfo& build) {
  std::string out;
  requests(out, snapshot);
  latencies(out, snapshot);
  for (auto metric : all_business_metrics) {
    header(out, prometheus_name(metric), "counter", help_of(metric));
    sample(out, prometheus_name(metric), {}, std::to_string(snapshot.business[static_cast<std::size_t>(metric)]));
  }
  header(out, "mercato_build_info", "gauge", "The running build; always 1.");
  sample(out, "mercato_build_info", label("version", build.version), "1");
  header(out, "process_start_time_seconds", "gauge", "Start time of the process since the Unix epoch in seconds.");
  sample(out, "process_start_time_seconds", {}, number(build.start_time_seconds));
  return out;
}

}  // namespace mercato::observability
