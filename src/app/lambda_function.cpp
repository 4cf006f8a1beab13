#include "app/lambda_function.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <future>

#include "core/error.hpp"
#include "db/migrations.hpp"
#include "http/problem.hpp"
#include "http/security_headers.hpp"
#include "lambda/api_gateway_event.hpp"

namespace mercato::app {

namespace {

namespace json = boost::json;

lambda::InvocationFailed failure(std::string type, std::string message) {
  return lambda::InvocationFailed({std::move(type), std::move(message)});
}

json::object parse_event(const std::string& text) {
  boost::system::error_code ec;
  auto value = json::parse(text, ec);
  if (ec || !value.is_object()) throw failure("Runtime.MalformedEvent", "The event is not a JSON object.");
  return std::move(value.get_object());
}

// A newer schema is served, unlike under `serve`: during a gradual alias shift, or after a
// rollback, the previous version runs on the schema the new one migrated. Migrations are
// therefore additive (docs/deploy-aws.md, "Migrations").
bool schema_is_usable(db::Database& database, observability::Logger& log) {
  auto status = db::schema_status(database, db::embedded_migrations(database.dialect()));
  if (status.applied > status.known)
    log.warn("lambda_schema_newer", {{"applied", status.applied}, {"known", status.known}});
  return status.applied >= status.known;
}

// Answers made here rather than by the pipeline (the request never reached it) still
// carry what every answer carries.
http::Response transport_problem(const Error& error, const http::Request& request) {
  auto response = http::problem_response(error);
  http::add_security_headers(response);
  if (!request.aws_request_id.empty()) response.headers.set("X-Request-Id", request.aws_request_id);
  return response;
}

}  // namespace

ApiFunction::ApiFunction(const Config& config, db::Database& database, Platform platform)
    : config_(config), database_(database), platform_(platform) {
  // The first connection (a PostgreSQL backend starting, or RDS Proxy's TLS handshake) is
  // most of a cold start: wire the application meanwhile, on the other core.
  auto connected = std::async(std::launch::async, [&database] { database.acquire(); });
  application_.emplace(config_, database_, platform_, Transport::lambda);
  mail_.emplace(config_, database_, application_->cipher(), platform_);
  application_->on_mail_committed([this] { mail_queued_ = true; });
  connected.get();
  schema_ready_ = schema_is_usable(database_, platform_.log);
  if (!schema_ready_)
    platform_.log.warn("lambda_schema_outdated", {{"hint", "invoke the function with {\"mercato\":\"migrate\"}"}});
}

std::string ApiFunction::invoke(const lambda::Invocation& invocation) {
  auto event = parse_event(invocation.event);
  if (auto command = event.find("mercato"); command != event.end()) {
    if (!command->value().is_string()) throw failure("Runtime.UnknownCommand", "\"mercato\" must name a command.");
    return run_command(command->value().get_string());
  }
  if (!lambda::is_http_api_event(event))
    throw failure("Runtime.UnsupportedEvent",
                  "Only API Gateway HTTP API payload 2.0 events and {\"mercato\": command} are served.");
  return serve_http(event, invocation);
}

std::string ApiFunction::serve_http(const json::object& event, const lambda::Invocation& invocation) {
  lambda::GatewayRequest in;
  try {
    in = lambda::to_request(event, config_.body_limit_bytes);
  } catch (const lambda::MalformedEvent& e) {
    throw failure("Runtime.MalformedEvent", e.what());
  }
  auto& request = in.request;
  request.aws_request_id = invocation.request_id;
  request.trace_id = invocation.trace_id;
  if (!request.headers.contains("X-Request-Id") && !in.gateway_request_id.empty())
    request.headers.set("X-Request-Id", in.gateway_request_id);
  http::Response response;
  if (in.body_too_large)
    response = transport_problem(Error{ErrorKind::too_large, "body_too_large", "The request body is too large."}, request);
  else
    response = handle(request);
  return lambda::to_gateway_response(response, request.method);
}

http::Response ApiFunction::handle(http::Request& request) {
  if (!schema_ready_)
    return transport_problem(
        Error{ErrorKind::unavailable, "schema_outdated", "The service is being upgraded; try again shortly."}
            .with_retry_after(30),
        request);
  return application_->handle(request);
}

std::string ApiFunction::run_command(std::string_view command) {
  platform_.log.info("lambda_command", {{"command", command}});
  if (command == "migrate") {
    const auto& migrations = db::embedded_migrations(database_.dialect());
    int applied = db::migrate(database_, migrations);
    auto status = db::schema_status(database_, migrations);
    schema_ready_ = true;
    return json::serialize(json::object{{"applied", applied}, {"version", status.applied}});
  }
  if (!schema_ready_) throw failure("Runtime.SchemaOutdated", "Run the migrate command first.");
  if (command == "settle-refunds")
    return json::serialize(json::object{{"settled", application_->payments().settle_refunds(100)}});
  if (command == "deliver-mail") return json::serialize(json::object{{"delivered", mail_->deliver_due()}});
  throw failure("Runtime.UnknownCommand", "Known commands: migrate, settle-refunds, deliver-mail.");
}

void ApiFunction::after_response() {
  if (!mail_queued_.exchange(false)) return;
  try {
    mail_->deliver_due();
  } catch (const std::exception& e) {  // the email stays queued; the next pass or schedule retries it
    platform_.log.warn("mail_delivery_failed", {{"detail", e.what()}});
  }
}

}  // namespace mercato::app
