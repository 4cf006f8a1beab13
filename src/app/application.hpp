#pragma once
// The composition root: the one place that wires configuration, services, repositories
// and routes together. The socket server, the Lambda loop and the tests all drive the same
// Application through its pipeline.

#include <memory>

#include "app/config.hpp"
#include "core/clock.hpp"
#include "db/database.hpp"
#include "domain/health/health_service.hpp"
#include "http/pipeline.hpp"
#include "http/router.hpp"
#include "observability/logger.hpp"
#include "security/random.hpp"

namespace mercato::app {

struct Platform {
  observability::Logger& log;
  const Clock& clock;
  security::RandomSource& random;
};

class Application {
 public:
  // `database` must be migrated and outlive the Application.
  Application(const Config& config, db::Database& database, Platform platform);

  http::Response handle(http::Request& request) const { return pipeline_->handle(request); }
  const http::Router& router() const noexcept { return router_; }

 private:
  void add_routes();

  const Config& config_;
  db::Database& database_;
  Platform platform_;
  domain::HealthService health_;
  http::Router router_;
  std::unique_ptr<http::Pipeline> pipeline_;
};

}  // namespace mercato::app
