#include "support/app_harness.hpp"

#include "db/mail/email_payload.hpp"

namespace mercato::testing {

AppHarness::AppHarness(db::Database& database, app::Config config, clients::HttpClient* http)
    : database_(database),
      config_(std::move(config)), log_(log_out_, observability::LogLevel::debug, clock_) {
  application_ = std::make_unique<app::Application>(config_, database, app::Platform{log_, clock_, random_, http});
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
  // Each request a millisecond later, so rows written by successive requests never share a
  // timestamp (ordering by created_at in tests stays exact).
  clock_.advance(std::chrono::milliseconds{1});
  return application_->handle(request);
}

std::vector<domain::EmailMessage> AppHarness::emails() {
  auto lease = database_.acquire();
  std::vector<domain::EmailMessage> out;
  for (const auto& row : lease->execute("SELECT payload_encrypted FROM outbound_emails ORDER BY created_at, id").rows)
    out.push_back(db::open_email_payload(row.text(0), application_->cipher()));
  return out;
}

std::string AppHarness::last_token_sent_to(const std::string& address) {
  auto all = emails();
  for (auto it = all.rbegin(); it != all.rend(); ++it) {
    if (it->to != address) continue;
    auto start = it->text_body.find("token=");
    if (start == std::string::npos) return {};
    start += 6;
    auto end = it->text_body.find_first_of(" \r\n", start);
    return it->text_body.substr(start, end - start);
  }
  return {};
}

}  // namespace mercato::testing
