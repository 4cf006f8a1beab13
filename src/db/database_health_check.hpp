#pragma once
// Health check for the database: a round trip on a pooled connection, timed.

#include <functional>

#include "db/database.hpp"
#include "domain/health/health_service.hpp"

namespace mercato::db {

class DatabaseHealthCheck final : public domain::HealthCheck {
 public:
  // `on_failure` receives the detailed reason (for the log; it may name hosts).
  DatabaseHealthCheck(Database& database, std::function<void(const std::string&)> on_failure)
      : database_(database), on_failure_(std::move(on_failure)) {}
  domain::CheckResult run() override;

 private:
  Database& database_;
  std::function<void(const std::string&)> on_failure_;
};

}  // namespace mercato::db
