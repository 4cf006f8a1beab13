#pragma once
// What the server counts: business events, and every answered request. Services take a
// Metrics& as they take a Logger&; the application wires the implementations
// (MetricsRegistry for GET /metrics, EmfMetrics around it for CloudWatch).

#include <boost/json/object.hpp>

#include <array>
#include <string_view>

namespace mercato::observability {

// The business counters, a closed set: a name the code cannot misspell.
enum class BusinessMetric { orders_created, payments_completed, payments_failed, webhook_failures };

inline constexpr std::array<BusinessMetric, 4> all_business_metrics{
    BusinessMetric::orders_created, BusinessMetric::payments_completed, BusinessMetric::payments_failed,
    BusinessMetric::webhook_failures};

// "OrdersCreated": the CloudWatch metric name.
std::string_view cloudwatch_name(BusinessMetric metric) noexcept;
// "mercato_orders_created_total": the Prometheus counter name.
std::string_view prometheus_name(BusinessMetric metric) noexcept;

// One answered request. `route` is the route template ("/api/orders/:id") or "unmatched",
// never the path: a path holds ids, and one series per id would be unbounded.
struct RequestObservation {
  std::string_view route;
  std::string_view method;
  int status = 0;
  double duration_ms = 0;
};

class Metrics {
 public:
  virtual ~Metrics() = default;
  virtual void count(BusinessMetric metric) = 0;
  // Records a request. `access_line` holds the fields of the request's access-log line,
  // written after this returns; an implementation may add members to it (EMF does: the
  // line itself becomes the metric document).
  virtual void observe_request(const RequestObservation& request, boost::json::object& access_line) = 0;
};

}  // namespace mercato::observability
