#pragma once
// The REST API as a Lambda function: API Gateway HTTP API events go through the same
// Application pipeline and router as the socket server; direct invocations
// {"mercato": "<command>"} run operator tasks inside the VPC (migrate, settle-refunds,
// deliver-mail) for the deploy workflow and scheduled rules. Everything here is made once
// per container, at init, and reused by every invocation.

#include <atomic>
#include <optional>

#include "app/application.hpp"
#include "app/mail_delivery.hpp"
#include "lambda/runtime_loop.hpp"

namespace mercato::app {

class ApiFunction : public lambda::LambdaFunction {
 public:
  // `database` must outlive the function. With a schema older than this binary, HTTP
  // answers 503 until a `migrate` invocation; a newer one is served (see the .cpp).
  // Throws what connecting to the database throws.
  ApiFunction(const Config& config, db::Database& database, Platform platform);

  std::string invoke(const lambda::Invocation& invocation) override;
  void after_response() override;

 private:
  std::string serve_http(const boost::json::object& event, const lambda::Invocation& invocation);
  std::string run_command(std::string_view command);
  http::Response handle(http::Request& request);

  const Config& config_;
  db::Database& database_;
  Platform platform_;
  std::optional<Application> application_;
  std::optional<MailDelivery> mail_;
  bool schema_ready_ = false;
  std::atomic<bool> mail_queued_{false};
};

}  // namespace mercato::app
