#include "http/pipeline.hpp"

#include <algorithm>
#include <chrono>

#include "core/time_format.hpp"
#include "http/problem.hpp"
#include "http/security_headers.hpp"

namespace mercato::http {

namespace {

// Letters, digits and "-_.:=" (API Gateway's ids are base64 with padding).
bool is_valid_request_id(std::string_view id) {
  return !id.empty() && id.size() <= 128 && std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
           c == '.' || c == ':' || c == '=';
  });
}

bool carries_body(const Request& request) {
  return !request.body.empty() &&
         (request.method == Method::post || request.method == Method::put || request.method == Method::patch);
}

// "application/json" with optional parameters such as "; charset=utf-8".
bool is_json_content_type(std::string_view value) {
  auto semicolon = value.find(';');
  auto media = value.substr(0, semicolon);
  while (!media.empty() && media.back() == ' ') media.remove_suffix(1);
  return iequals(media, "application/json");
}

std::string join_methods(const std::vector<Method>& methods) {
  std::string out;
  for (auto method : methods) out += (out.empty() ? "" : ", ") + std::string{to_string(method)};
  return out;
}

}  // namespace

Pipeline::Pipeline(const Router& router, CorsPolicy cors, Authenticator authenticate, observability::Logger& log,
                   const Clock& clock, security::RandomSource& random, PipelineGuards guards)
    : router_(router),
      cors_(std::move(cors)),
      authenticate_(std::move(authenticate)),
      log_(log),
      clock_(clock),
      random_(random),
      guards_(guards) {}

Response Pipeline::handle(Request& request) const {
  auto started = std::chrono::steady_clock::now();
  assign_request_id(request);
  request.client_ip = guards_.client_ip ? guards_.client_ip->resolve(request.remote_address,
                                                                      request.headers.get_joined("X-Forwarded-For"))
                                        : request.remote_address;
  Response response;
  try {
    response = dispatch(request);
  } catch (const Error& error) {
    response = problem_response(error);
    if (error.kind() == ErrorKind::internal)
      log_.error("internal_error", {{"request_id", request.request_id}, {"detail", error.what()}});
  } catch (const std::exception& e) {
    log_.error("unhandled_exception", {{"request_id", request.request_id}, {"detail", e.what()}});
    response = internal_error_response();
  }
  if (response.status == 401 && !response.headers.contains("WWW-Authenticate"))
    response.headers.set("WWW-Authenticate", "Bearer");
  add_security_headers(response);
  cors_.decorate(request, response);
  response.headers.set("X-Request-Id", request.request_id);
  response.headers.set("Date", format_http_date(clock_.now()));
  auto elapsed = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  log_request(request, response, elapsed);
  return response;
}

Response Pipeline::dispatch(Request& request) const {
  auto method = request.method == Method::head ? Method::get : request.method;
  auto match = router_.match(method, request.path);
  if (CorsPolicy::is_preflight(request) && match.outcome != RouteMatch::Outcome::not_found)
    return cors_.preflight(request, match.allowed);
  if (match.outcome == RouteMatch::Outcome::not_found) throw Error::not_found("No such resource.");
  if (match.outcome == RouteMatch::Outcome::method_not_allowed) {
    auto allow = join_methods(match.allowed);
    if (request.method == Method::options) {
      auto response = Response::no_content();
      response.headers.set("Allow", allow);
      return response;
    }
    auto response = problem_response(
        Error{ErrorKind::method_not_allowed, "method_not_allowed", "This resource does not support that method."});
    response.headers.set("Allow", allow);
    return response;
  }
  request.route_template = match.route->path_template;
  request.path_params = std::move(match.params);
  return run_handler(*match.route, request);
}

Response Pipeline::run_handler(const Route& route, Request& request) const {
  if (carries_body(request) && !is_json_content_type(request.headers.get("Content-Type").value_or("")))
    throw Error{ErrorKind::unsupported_media, "unsupported_media_type", "The body must be application/json."};
  if (guards_.rate_limits) guards_.rate_limits->check(request, route.rate_limit);
  enforce_access(route.access, request);
  return route.handler(request);
}

void Pipeline::enforce_access(const AccessPolicy& policy, Request& request) const {
  if (policy.kind == AccessPolicy::Kind::anyone) {
    // Public routes ignore credentials that do not verify rather than refusing the read.
    try {
      if (authenticate_) request.principal = authenticate_(request);
    } catch (const Error& error) {
      if (error.kind() != ErrorKind::unauthorized) throw;
    }
    return;
  }
  if (authenticate_) request.principal = authenticate_(request);
  if (!request.principal)
    throw Error{ErrorKind::unauthorized, "authentication_required", "Sign in to use this resource."};
  if (policy.kind == AccessPolicy::Kind::roles &&
      std::find(policy.roles.begin(), policy.roles.end(), request.principal->role) == policy.roles.end())
    throw Error{ErrorKind::forbidden, "forbidden", "Your role may not use this resource."};
}

void Pipeline::assign_request_id(Request& request) const {
  auto given = request.headers.get("X-Request-Id");
  request.request_id = given && is_valid_request_id(*given) ? std::string{*given} : security::random_hex(random_, 16);
}

void Pipeline::log_request(const Request& request, const Response& response, double duration_ms) const {
  boost::json::object fields{{"request_id", request.request_id},
                             {"method", to_string(request.method)},
                             {"route", request.route_template.empty() ? "unmatched" : request.route_template},
                             {"status", response.status},
                             {"duration_ms", duration_ms},
                             {"client_ip", request.client_ip}};
  if (request.principal) fields["user_id"] = request.principal->user_id;
  if (!request.aws_request_id.empty()) fields["aws_request_id"] = request.aws_request_id;
  if (!request.trace_id.empty()) fields["trace_id"] = request.trace_id;
  record_metrics(request, response, duration_ms, fields);
  log_.log(response.status >= 500 ? observability::LogLevel::error : observability::LogLevel::info, "http_request",
           std::move(fields));
}

// Every request is counted, /metrics itself included: a scrape is real load, and refused
// scrapes (401) are worth seeing.
void Pipeline::record_metrics(const Request& request, const Response& response, double duration_ms,
                              boost::json::object& access_line) const {
  if (!guards_.metrics) return;
  guards_.metrics->observe_request(
      {request.route_template.empty() ? "unmatched" : request.route_template, to_string(request.method),
       response.status, duration_ms},
      access_line);
}

}  // namespace mercato::http
