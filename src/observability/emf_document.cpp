#include "observability/emf_document.hpp"

#include <boost/json/array.hpp>

#include <cstdint>
#include <initializer_list>

namespace mercato::observability {

namespace {

struct MetricDefinition {
  std::string_view name;
  std::string_view unit;  // one of the units CloudWatch accepts
};

std::int64_t epoch_milliseconds(std::chrono::system_clock::time_point at) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(at.time_since_epoch()).count();
}

// One directive; the spec allows at most 100 metrics in it, far more than any line here has.
boost::json::object metadata(std::string_view metric_namespace, boost::json::array dimension_set,
                             std::initializer_list<MetricDefinition> metrics, std::chrono::system_clock::time_point at) {
  boost::json::array definitions;
  for (const auto& metric : metrics) definitions.push_back(boost::json::object{{"Name", metric.name}, {"Unit", metric.unit}});
  boost::json::array dimensions;
  dimensions.emplace_back(std::move(dimension_set));
  boost::json::object directive;
  directive["Namespace"] = metric_namespace;
  directive["Dimensions"] = std::move(dimensions);
  directive["Metrics"] = std::move(definitions);
  boost::json::array directives;
  directives.emplace_back(std::move(directive));
  boost::json::object out;
  out["Timestamp"] = epoch_milliseconds(at);
  out["CloudWatchMetrics"] = std::move(directives);
  return out;
}

}  // namespace

void add_request_emf(boost::json::object& line, const RequestObservation& request, std::string_view metric_namespace,
                     std::chrono::system_clock::time_point at) {
  line["_aws"] = metadata(metric_namespace, boost::json::array{"Route"},
                          {{"Requests", "Count"}, {"Latency", "Milliseconds"}, {"Status4xx", "Count"},
                           {"Status5xx", "Count"}},
                          at);
  line["Route"] = request.route;
  line["Requests"] = 1;
  line["Latency"] = request.duration_ms;
  line["Status4xx"] = request.status >= 400 && request.status < 500 ? 1 : 0;
  line["Status5xx"] = request.status >= 500 ? 1 : 0;
}

boost::json::object business_emf(BusinessMetric metric, std::string_view metric_namespace,
                                 std::chrono::system_clock::time_point at) {
  auto name = cloudwatch_name(metric);
  boost::json::object line{{"_aws", metadata(metric_namespace, boost::json::array{}, {{name, "Count"}}, at)}};
  line[name] = 1;
  return line;
}

}  // namespace mercato::observability
