#pragma once
// The in-memory counters behind GET /metrics: business counters, requests by route,
// method and status class, and a latency histogram per route. Safe from any number of
// threads; a request after its route's first costs a shared lock and a few relaxed atomic
// increments.

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <shared_mutex>
#include <string>
#include <vector>

#include "observability/metrics.hpp"

namespace mercato::observability {

// Upper bounds of the latency buckets in seconds (Prometheus's usual defaults); a last,
// unbounded bucket (+Inf) takes the rest.
inline constexpr std::array<double, 11> latency_bucket_bounds{0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
                                                              0.5,   1.0,  2.5,   5.0,  10.0};

// The methods counted apart; any other is counted as "OTHER".
inline constexpr std::array<std::string_view, 8> counted_methods{"GET",    "HEAD",    "POST", "PUT",
                                                                 "PATCH", "DELETE", "OPTIONS", "OTHER"};

struct RequestCount {
  std::string route;
  std::string method;
  std::string status_class;  // "2xx"
  std::uint64_t value = 0;
};

struct LatencyHistogram {
  std::string route;
  // Cumulative, one per latency_bucket_bounds entry and a last one for +Inf (== count).
  std::vector<std::uint64_t> cumulative;
  double sum_seconds = 0;
  std::uint64_t count = 0;
};

// A copy of every counter, ordered by route, then method (as counted_methods), then class.
struct MetricsSnapshot {
  std::array<std::uint64_t, all_business_metrics.size()> business{};
  std::vector<RequestCount> requests;  // only series seen at least once
  std::vector<LatencyHistogram> latencies;
};

class MetricsRegistry final : public Metrics {
 public:
  void count(BusinessMetric metric) override;
  // Adds nothing to the access line: this registry is read through snapshot().
  void observe_request(const RequestObservation& request, boost::json::object& access_line) override;
  MetricsSnapshot snapshot() const;

 private:
  static constexpr std::size_t status_classes = 5;  // 1xx..5xx
  struct RouteSeries {
    std::array<std::atomic<std::uint64_t>, counted_methods.size() * status_classes> requests{};
    std::array<std::atomic<std::uint64_t>, latency_bucket_bounds.size() + 1> buckets{};  // not cumulative
    std::atomic<std::uint64_t> sum_nanoseconds{0};
  };

  RouteSeries& series_of(std::string_view route);

  std::array<std::atomic<std::uint64_t>, all_business_metrics.size()> business_{};
  mutable std::shared_mutex routes_mutex_;
  std::map<std::string, std::unique_ptr<RouteSeries>, std::less<>> routes_;
};

}  // namespace mercato::observability
