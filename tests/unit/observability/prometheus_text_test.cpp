// The text exposition format of GET /metrics, line for line.

#include <gtest/gtest.h>

#include "observability/prometheus_text.hpp"

using namespace mercato::observability;

namespace {

void observe(MetricsRegistry& registry, std::string_view route, std::string_view method, int status, double ms) {
  boost::json::object line;
  registry.observe_request({route, method, status, ms}, line);
}

}  // namespace

TEST(PrometheusText, ExactTextForKnownObservations) {
  MetricsRegistry registry;
  observe(registry, "/api/orders/:id", "GET", 200, 20);
  observe(registry, "/api/orders/:id", "GET", 404, 250);
  observe(registry, "/api/orders/:id", "GET", 200, 3000);
  registry.count(BusinessMetric::orders_created);
  registry.count(BusinessMetric::payments_failed);
  registry.count(BusinessMetric::payments_failed);

  auto text = prometheus_text(registry.snapshot(), {"1.2.3", 1795478400});
  EXPECT_EQ(text,
            "# HELP mercato_http_requests_total Requests answered, by route template, method and status class.\n"
            "# TYPE mercato_http_requests_total counter\n"
            "mercato_http_requests_total{route=\"/api/orders/:id\",method=\"GET\",status_class=\"2xx\"} 2\n"
            "mercato_http_requests_total{route=\"/api/orders/:id\",method=\"GET\",status_class=\"4xx\"} 1\n"
            "# HELP mercato_http_request_duration_seconds Time from a request's arrival to its answer, by route "
            "template.\n"
            "# TYPE mercato_http_request_duration_seconds histogram\n"
            "mercato_http_request_duration_seconds_bucket{route=\"/api/orders/:id\",le=\"0.005\"} 0\n"
            "mercato_http_request_duration_seconds_bucket{route=\"/api/orders/:id\",le=\"0.01\"} 0\n"
            "mercato_http_request_duration_seconds_bucket{route=\"/api/orders/:id\",le=\"0.025\"} 1\n"
            "mercato_http_request_duration_seconds_bucket{route=\"/api/orders/:id\",le=\"0.05\"} 1\n"
            "mercato_http_request_duration_seconds_bucket{route=\"/api/orders/:id\",le=\"0.1\"} 1\n"
            "mercato_http_request_duration_seconds_bucket{route=\"/api/orders/:id\",le=\"0.25\"} 2\n"
            "mercato_http_request_duration_seconds_bucket{route=\"/api/orders/:id\",le=\"0.5\"} 2\n"
            "mercato_http_request_duration_seconds_bucket{route=\"/api/orders/:id\",le=\"1\"} 2\n"
            "mercato_http_request_duration_seconds_bucket{route=\"/api/orders/:id\",le=\"2.5\"} 2\n"
            "mercato_http_request_duration_seconds_bucket{route=\"/api/orders/:id\",le=\"5\"} 3\n"
            "mercato_http_request_duration_seconds_bucket{route=\"/api/orders/:id\",le=\"10\"} 3\n"
            "mercato_http_request_duration_seconds_bucket{route=\"/api/orders/:id\",le=\"+Inf\"} 3\n"
            "mercato_http_request_duration_seconds_sum{route=\"/api/orders/:id\"} 3.27\n"
            "mercato_http_request_duration_seconds_count{route=\"/api/orders/:id\"} 3\n"
            "# HELP mercato_orders_created_total Orders created (an idempotent replay is not a new order).\n"
            "# TYPE mercato_orders_created_total counter\n"
            "mercato_orders_created_total 1\n"
            "# HELP mercato_payments_completed_total Payments a gateway webhook moved to completed.\n"
            "# TYPE mercato_payments_completed_total counter\n"
            "mercato_payments_completed_total 0\n"
            "# HELP mercato_payments_failed_total Payments a gateway webhook moved to failed.\n"
            "# TYPE mercato_payments_failed_total counter\n"
            "mercato_payments_failed_total 2\n"
            "# HELP mercato_webhook_failures_total Gateway webhooks refused (signature, malformed) or failed in "
            "processing.\n"
            "# TYPE mercato_webhook_failures_total counter\n"
            "mercato_webhook_failures_total 0\n"
            "# HELP mercato_build_info The running build; always 1.\n"
            "# TYPE mercato_build_info gauge\n"
            "mercato_build_info{version=\"1.2.3\"} 1\n"
            "# HELP process_start_time_seconds Start time of the process since the Unix epoch in seconds.\n"
            "# TYPE process_start_time_seconds gauge\n"
            "process_start_time_seconds 1795478400\n");
}

TEST(PrometheusText, EscapesLabelValues) {
  EXPECT_EQ(escape_label_value(R"(a"b\c)"), R"(a\"b\\c)");
  EXPECT_EQ(escape_label_value("line\nbreak"), "line\\nbreak");
  EXPECT_EQ(escape_label_value("/api/orders/:id"), "/api/orders/:id");

  MetricsRegistry registry;
  observe(registry, R"(/odd"route\)", "GET", 200, 1);
  auto text = prometheus_text(registry.snapshot(), {R"(1.0"\x)", 0});
  EXPECT_NE(text.find(R"(mercato_http_requests_total{route="/odd\"route\\",method="GET",status_class="2xx"} 1)"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find(R"(mercato_http_request_duration_seconds_count{route="/odd\"route\\"} 1)"), std::string::npos);
  EXPECT_NE(text.find(R"(mercato_build_info{version="1.0\"\\x"} 1)"), std::string::npos);
}

TEST(PrometheusText, EveryLineIsACommentOrASample) {
  MetricsRegistry registry;
  observe(registry, "/a", "POST", 500, 7);
  auto text = prometheus_text(registry.snapshot(), {"0.2.0", 1.5});
  ASSERT_FALSE(text.empty());
  EXPECT_EQ(text.back(), '\n');
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find('\n', start);
    auto line = text.substr(start, end - start);
    EXPECT_FALSE(line.empty());
    if (line[0] != '#') {
      // name{labels} value: a value that reads as a number.
      auto space = line.rfind(' ');
      ASSERT_NE(space, std::string::npos) << line;
      auto value = line.substr(space + 1);
      if (value != "+Inf") EXPECT_NO_THROW((void)std::stod(value)) << line;
    }
    start = end + 1;
  }
  EXPECT_NE(text.find("process_start_time_seconds 1.5\n"), std::string::npos);
}
