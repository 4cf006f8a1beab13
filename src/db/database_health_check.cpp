#include "db/database_health_check.hpp"

#include <chrono>

namespace mercato::db {

domain::CheckResult DatabaseHealthCheck::run() {
  domain::CheckResult result{"database", false, 0, {}};
  auto started = std::chrono::steady_clock::now();
  try {
    auto lease = database_.acquire();
    lease->execute("SELECT 1");
    result.ok = true;
  } catch (const std::exception& e) {
    result.error = "unreachable";
    if (on_failure_) on_failure_(e.what());
  }
  result.latency_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  return result;
}

}  // namespace mercato::db
