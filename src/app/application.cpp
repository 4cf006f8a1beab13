#include "app/application.hpp"

#include "api/health_routes.hpp"
#include "db/database_health_check.hpp"

namespace mercato::app {

namespace {

std::vector<std::unique_ptr<domain::HealthCheck>> make_health_checks(db::Database& database,
                                                                      observability::Logger& log) {
  std::vector<std::unique_ptr<domain::HealthCheck>> checks;
  checks.push_back(std::make_unique<db::DatabaseHealthCheck>(database, [&log](const std::string& detail) {
    log.warn("health_check_failed", {{"check", "database"}, {"detail", detail}});
  }));
  return checks;
}

}  // namespace

Application::Application(const Config& config, db::Database& database, Platform platform)
    : config_(config),
      database_(database),
      platform_(platform),
      health_(make_health_checks(database, platform.log)) {
  add_routes();
  pipeline_ = std::make_unique<http::Pipeline>(router_, http::CorsPolicy{config_.cors_allowed_origins},
                                               http::Authenticator{}, platform_.log, platform_.clock,
                                               platform_.random);
}

void Application::add_routes() { api::add_health_routes(router_, health_, MERCATO_VERSION); }

}  // namespace mercato::app
