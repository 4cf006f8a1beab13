#include "domain/health/health_service.hpp"

namespace mercato::domain {

HealthReport HealthService::check() const {
  HealthReport report;
  for (const auto& check : checks_) {
    auto result = check->run();
    report.ok = report.ok && result.ok;
    report.checks.push_back(std::move(result));
  }
  return report;
}

}  // namespace mercato::domain
