#include "observability/emf_metrics.hpp"

#include "observability/emf_document.hpp"

namespace mercato::observability {

void EmfMetrics::count(BusinessMetric metric) {
  inner_.count(metric);
  log_.info("metric", business_emf(metric, namespace_, clock_.now()));
}

void EmfMetrics::observe_request(const RequestObservation& request, boost::json::object& access_line) {
  inner_.observe_request(request, access_line);
  add_request_emf(access_line, request, namespace_, clock_.now());
}

}  // namespace mercato::observability
