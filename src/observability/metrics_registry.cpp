#include "observability/metrics_registry.hpp"

#include <algorithm>
#include <cmath>
#include <mutex>

namespace mercato::observability {

namespace {

std::size_t method_index(std::string_view method) {
  auto it = std::find(counted_methods.begin(), counted_methods.end() - 1, method);
  return static_cast<std::size_t>(it - counted_methods.begin());  // the last ("OTHER") when not found
}

// 1xx..5xx as 0..4; anything outside 100..599 counts with 5xx (it is a server fault).
std::size_t status_class_index(int status) { return status >= 100 && status < 600 ? status / 100 - 1 : 4; }

std::size_t bucket_index(double seconds) {
  auto it = std::lower_bound(latency_bucket_bounds.begin(), latency_bucket_bounds.end(), seconds);
  return static_cast<std::size_t>(it - latency_bucket_bounds.begin());  // le: a bound is inclusive
}

std::uint64_t load(const std::atomic<std::uint64_t>& value) { return value.load(std::memory_order_relaxed); }

}  // namespace

void MetricsRegistry::count(BusinessMetric metric) {
  business_[static_cast<std::size_t>(metric)].fetch_add(1, std::memory_order_relaxed);
}

void MetricsRegistry::observe_request(const RequestObservation& request, boost::json::object&) {
  auto& series = series_of(request.route);
  series.requests[method_index(request.method) * status_classes + status_class_index(request.status)].fetch_add(
      1, std::memory_order_relaxed);
  auto ms = std::max(0.0, request.duration_ms);
  series.buckets[bucket_index(ms / 1000.0)].fetch_add(1, std::memory_order_relaxed);
  series.sum_nanoseconds.fetch_add(static_cast<std::uint64_t>(std::llround(ms * 1e6)), std::memory_order_relaxed);
}

// Routes are templates, so the map stops growing after each route's first request; only
// then is the exclusive lock taken.
MetricsRegistry::RouteSeries& MetricsRegistry::series_of(std::string_view route) {
  {
    std::shared_lock lock(routes_mutex_);
    auto it = routes_.find(route);
    if (it != routes_.end()) return *it->second;
  }
  std::unique_lock lock(routes_mutex_);
  auto [it, inserted] = routes_.try_emplace(std::string(route), nullptr);
  if (inserted) it->second = std::make_unique<RouteSeries>();
  return *it->second;
}

MetricsSnapshot MetricsRegistry::snapshot() const {
  MetricsSnapshot out;
  for (std::size_t i = 0; i < business_.size(); ++i) out.business[i] = load(business_[i]);
  std::shared_lock lock(routes_mutex_);
  for (const auto& [route, series] : routes_) {
    for (std::size_t m = 0; m < counted_methods.size(); ++m)
      for (std::size_t c = 0; c < status_classes; ++c)
        if (auto value = load(series->requests[m * status_classes + c]))
          out.requests.push_back({route, std::string(counted_methods[m]), std::to_string(c + 1) + "xx", value});
    LatencyHistogram histogram{route, {}, 0, 0};
    for (const auto& bucket : series->buckets) {
      histogram.count += load(bucket);
      histogram.cumulative.push_back(histogram.count);
    }
    histogram.sum_seconds = static_cast<double>(load(series->sum_nanoseconds)) / 1e9;
    out.latencies.push_back(std::move(histogram));
  }
  return out;
}

}  // namespace mercato::observability
