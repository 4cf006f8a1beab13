#pragma once
// Metrics that also reach CloudWatch through the Embedded Metric Format: each request's
// access-log line carries its request metrics, and each business event is one `metric`
// log line. Everything is passed on to the wrapped Metrics as well.

#include <string>

#include "core/clock.hpp"
#include "observability/logger.hpp"
#include "observability/metrics.hpp"

namespace mercato::observability {

class EmfMetrics final : public Metrics {
 public:
  EmfMetrics(Metrics& inner, Logger& log, const Clock& clock, std::string metric_namespace)
      : inner_(inner), log_(log), clock_(clock), namespace_(std::move(metric_namespace)) {}

  void count(BusinessMetric metric) override;
  void observe_request(const RequestObservation& request, boost::json::object& access_line) override;

 private:
  Metrics& inner_;
  Logger& log_;
  const Clock& clock_;
  std::string namespace_;
};

}  // namespace mercato::observability
