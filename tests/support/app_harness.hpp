#pragma once
// The whole application in process over a test database: what most API tests drive.
// Requests go through the real pipeline and router; nothing listens on a socket.

#include <memory>
#include <sstream>
#include <string>

#include "app/application.hpp"
#include "domain/mail/mail_queue.hpp"
#include "support/fixed_clock.hpp"

namespace mercato::testing {

class AppHarness {
 public:
  // `http`, when given, answers the application's outgoing calls (e.g. a JWKS fake) and
  // must outlive the harness.
  explicit AppHarness(db::Database& database, app::Config config = default_config(),
                      clients::HttpClient* http = nullptr);

  static app::Config default_config();

  http::Response call(http::Method method, const std::string& target, std::string body = {},
                      http::Headers headers = {});
  http::Response get(const std::string& target) { return call(http::Method::get, target); }

  // The emails queued so far (decrypted), oldest first.
  std::vector<domain::EmailMessage> emails();
  // The token=<value> of the newest email to `address`; empty when there is none.
  std::string last_token_sent_to(const std::string& address);

  app::Application& application() noexcept { return *application_; }
  std::string log_text() const { return log_out_.str(); }
  FixedClock& clock() noexcept { return clock_; }

 private:
  db::Database& database_;
  app::Config config_;
  FixedClock clock_;
  security::SystemRandom random_;
  std::ostringstream log_out_;
  observability::Logger log_;
  std::unique_ptr<app::Application> application_;
};

}  // namespace mercato::testing
