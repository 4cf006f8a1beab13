#pragma once
// Readiness of the service: runs each dependency check and reports them together.

#include <memory>
#include <string>
#include <vector>

namespace mercato::domain {

struct CheckResult {
  std::string name;
  bool ok = false;
  double latency_ms = 0;
  std::string error;  // short and safe to show (no hosts or credentials)
};

class HealthCheck {
 public:
  virtual ~HealthCheck() = default;
  virtual CheckResult run() = 0;
};

struct HealthReport {
  bool ok = true;
  std::vector<CheckResult> checks;
};

class HealthService {
 public:
  explicit HealthService(std::vector<std::unique_ptr<HealthCheck>> checks) : checks_(std::move(checks)) {}
  HealthReport check() const;

 private:
  std::vector<std::unique_ptr<HealthCheck>> checks_;
};

}  // namespace mercato::domain
