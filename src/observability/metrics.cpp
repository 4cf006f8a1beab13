#include "observability/metrics.hpp"

namespace mercato::observability {

std::string_view cloudwatch_name(BusinessMetric metric) noexcept {
  switch (metric) {
    case BusinessMetric::orders_created: return "OrdersCreated";
    case BusinessMetric::payments_completed: return "PaymentsCompleted";
    case BusinessMetric::payments_failed: return "PaymentsFailed";
    case BusinessMetric::webhook_failures: return "WebhookFailures";
  }
  return "Unknown";
}

std::string_view prometheus_name(BusinessMetric metric) noexcept {
  switch (metric) {
    case BusinessMetric::orders_created: return "mercato_orders_created_total";
    case BusinessMetric::payments_completed: return "mercato_payments_completed_total";
    case BusinessMetric::payments_failed: return "mercato_payments_failed_total";
    case BusinessMetric::webhook_failures: return "mercato_webhook_failures_total";
  }
  return "mercato_unknown_total";
}

}  // namespace mercato::observability
