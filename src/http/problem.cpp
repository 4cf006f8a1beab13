#include "http/problem.hpp"

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

namespace mercato::http {

int status_of(ErrorKind kind) noexcept {
  switch (kind) {
    case ErrorKind::invalid: return 400;
    case ErrorKind::unauthorized: return 401;
    case ErrorKind::forbidden: return 403;
    case ErrorKind::not_found: return 404;
    case ErrorKind::method_not_allowed: return 405;
    case ErrorKind::conflict: return 409;
    case ErrorKind::too_large: return 413;
    case ErrorKind::unsupported_media: return 415;
    case ErrorKind::unprocessable: return 422;
    case ErrorKind::rate_limited: return 429;
    case ErrorKind::bad_gateway: return 502;
    case ErrorKind::unavailable: return 503;
    case ErrorKind::not_implemented: return 501;
    case ErrorKind::internal: break;
  }
  return 500;
}

std::string_view reason_phrase(int status) noexcept {
  switch (status) {
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 409: return "Conflict";
    case 413: return "Content Too Large";
    case 415: return "Unsupported Media Type";
    case 422: return "Unprocessable Content";
    case 429: return "Too Many Requests";
    case 501: return "Not Implemented";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    default: return "Internal Server Error";
  }
}

namespace {

Response make_problem(int status, std::string_view code, std::string_view detail, boost::json::array errors,
                      const std::vector<std::pair<std::string, Error::Extension>>& extensions = {}) {
  boost::json::object body{{"type", "about:blank"},
                           {"title", reason_phrase(status)},
                           {"status", status},
                           {"detail", detail},
                           {"code", code}};
  if (!errors.empty()) body["errors"] = std::move(errors);
  for (const auto& [name, value] : extensions)
    if (!body.contains(name)) std::visit([&, &name = name](const auto& v) { body[name] = v; }, value);
  Response response;
  response.status = status;
  response.headers.set("Content-Type", "application/problem+json");
  response.body = boost::json::serialize(body);
  return response;
}

}  // namespace

Response problem_response(const Error& error) {
  if (error.kind() == ErrorKind::internal) return internal_error_response();
  boost::json::array errors;
  for (const auto& field : error.field_errors()) errors.push_back({{"field", field.field}, {"message", field.message}});
  auto response = make_problem(status_of(error.kind()), error.code(), error.message(), std::move(errors),
                               error.extensions());
  if (auto seconds = error.retry_after_seconds()) response.headers.set("Retry-After", std::to_string(*seconds));
  return response;
}

Response internal_error_response() {
  return make_problem(500, "internal_error", "Something went wrong on our side; quote the X-Request-Id when reporting it.", {});
}

}  // namespace mercato::http
