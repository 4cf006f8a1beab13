#include "support/app_harness.hpp"

namespace mercato::testing {

AppHarness::AppHarness(db::Database& database, app::Config config)
    : config_(std::move(config)), log_(log_out_, observability::LogLevel::debug, clock_) {
  application_ = std::make_unique<app::Application>(config_, database, app::Platform{log_, clock_, random_});
}

app::Config AppHarness::default_config() {
  auto config = app::load_config([](std::string_view) { return std::nullopt; });
  config.bcrypt_cost = 4;  // keeps tests fast; production refuses less than 10
  return config;
}

http::Response AppHarness::call(http::Method method, const std::string& target, std::string body,
                                http::Headers headers) {
  http::Request request;
  request.method = method;
  request.target = target;
  auto parsed = http::parse_target(target);
  if (parsed) {
    request.path = parsed->path;
    request.query = parsed->query;
  }
  request.body = std::move(body);
  request.headers = std::move(headers);
  if (!request.body.empty() && !request.headers.contains("Content-Type"))
    request.headers.set("Content-Type", "application/json");
  request.remote_address = "127.0.0.1";
  return application_->handle(request);
}

}  // namespace mercato::testing
