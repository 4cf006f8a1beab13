// The in-memory counters: exact under concurrency, series by route/method/status class,
// latency buckets with inclusive upper bounds.

#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "observability/metrics_registry.hpp"

using namespace mercato::observability;

namespace {

void observe(MetricsRegistry& registry, std::string_view route, std::string_view method, int status, double ms) {
  boost::json::object line;
  registry.observe_request({route, method, status, ms}, line);
}

std::uint64_t requests_of(const MetricsSnapshot& s, const std::string& route, const std::string& method,
                          const std::string& status_class) {
  for (const auto& r : s.requests)
    if (r.route == route && r.method == method && r.status_class == status_class) return r.value;
  return 0;
}

}  // namespace

TEST(MetricsRegistry, StartsAtZeroWithNoSeries) {
  MetricsRegistry registry;
  auto s = registry.snapshot();
  for (auto value : s.business) EXPECT_EQ(value, 0u);
  EXPECT_TRUE(s.requests.empty());
  EXPECT_TRUE(s.latencies.empty());
}

TEST(MetricsRegistry, CountsEachBusinessMetricApart) {
  MetricsRegistry registry;
  registry.count(BusinessMetric::orders_created);
  registry.count(BusinessMetric::orders_created);
  registry.count(BusinessMetric::webhook_failures);
  auto s = registry.snapshot();
  EXPECT_EQ(s.business[static_cast<std::size_t>(BusinessMetric::orders_created)], 2u);
  EXPECT_EQ(s.business[static_cast<std::size_t>(BusinessMetric::payments_completed)], 0u);
  EXPECT_EQ(s.business[static_cast<std::size_t>(BusinessMetric::payments_failed)], 0u);
  EXPECT_EQ(s.business[static_cast<std::size_t>(BusinessMetric::webhook_failures)], 1u);
}

TEST(MetricsRegistry, RequestsBySeriesInOrder) {
  MetricsRegistry registry;
  observe(registry, "/api/orders", "POST", 201, 1);
  observe(registry, "/api/orders", "GET", 200, 1);
  observe(registry, "/api/orders", "GET", 204, 1);
  observe(registry, "/api/orders", "GET", 404, 1);
  observe(registry, "/api/health", "GET", 503, 1);
  observe(registry, "unmatched", "BREW", 405, 1);
  auto s = registry.snapshot();
  ASSERT_EQ(s.requests.size(), 5u);
  // Routes sorted, then methods in counted_methods order, then class.
  EXPECT_EQ(s.requests[0].route, "/api/health");
  EXPECT_EQ(s.requests[0].status_class, "5xx");
  EXPECT_EQ(s.requests[1].method, "GET");
  EXPECT_EQ(s.requests[1].status_class, "2xx");
  EXPECT_EQ(s.requests[1].value, 2u);
  EXPECT_EQ(s.requests[2].status_class, "4xx");
  EXPECT_EQ(s.requests[3].method, "POST");
  EXPECT_EQ(s.requests[4].route, "unmatched");
  EXPECT_EQ(s.requests[4].method, "OTHER") << "an unknown method is one series, not one per spelling";
  EXPECT_EQ(s.requests[4].status_class, "4xx");
}

TEST(MetricsRegistry, LatencyBucketsAreCumulativeWithInclusiveBounds) {
  MetricsRegistry registry;
  observe(registry, "/r", "GET", 200, 5);       // exactly 0.005 s: in le="0.005"
  observe(registry, "/r", "GET", 200, 5.001);   // just above: le="0.01"
  observe(registry, "/r", "GET", 200, 300);     // le="0.5"
  observe(registry, "/r", "GET", 200, 10'000);  // exactly 10 s: le="10"
  observe(registry, "/r", "GET", 200, 60'000);  // +Inf only
  auto s = registry.snapshot();
  ASSERT_EQ(s.latencies.size(), 1u);
  const auto& h = s.latencies[0];
  EXPECT_EQ(h.route, "/r");
  //                                    .005 .01 .025 .05 .1 .25 .5 1 2.5 5 10 +Inf
  std::vector<std::uint64_t> expected{1, 2, 2, 2, 2, 2, 3, 3, 3, 3, 4, 5};
  EXPECT_EQ(h.cumulative, expected);
  EXPECT_EQ(h.count, 5u);
  EXPECT_DOUBLE_EQ(h.sum_seconds, 70.310001);
}

TEST(MetricsRegistry, ExactUnderConcurrency) {
  MetricsRegistry registry;
  constexpr int threads = 8;
  constexpr int per_thread = 10'000;
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t)
    workers.emplace_back([&registry, t] {
      // Half the threads share a route, the others make new ones as they go: the first
      // request of a route (the exclusive lock) races with the counting of others.
      std::string route = t % 2 == 0 ? "/shared" : "/own/" + std::to_string(t);
      for (int i = 0; i < per_thread; ++i) {
        registry.count(BusinessMetric::orders_created);
        observe(registry, route, "GET", 200, 1);
      }
    });
  for (auto& w : workers) w.join();
  auto s = registry.snapshot();
  EXPECT_EQ(s.business[static_cast<std::size_t>(BusinessMetric::orders_created)], 80'000u);
  EXPECT_EQ(requests_of(s, "/shared", "GET", "2xx"), 40'000u);
  for (int t = 1; t < threads; t += 2) EXPECT_EQ(requests_of(s, "/own/" + std::to_string(t), "GET", "2xx"), 10'000u);
  std::uint64_t histogram_total = 0;
  for (const auto& h : s.latencies) histogram_total += h.count;
  EXPECT_EQ(histogram_total, 80'000u);
}
