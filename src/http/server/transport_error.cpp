#include "http/server/transport_error.hpp"

#include <string>

#include "core/error.hpp"
#include "http/problem.hpp"

namespace mercato::http {

Response malformed_request(std::string_view detail) {
  return problem_response(Error::invalid("malformed_request", std::string(detail)));
}

Response body_too_large() {
  return problem_response(
      Error{ErrorKind::too_large, "body_too_large", "The request body is larger than the server accepts."});
}

Response headers_too_large() {
  return problem_response(Error::invalid("headers_too_large", "The request header is larger than the server accepts."));
}

Response overloaded() {
  return problem_response(
      Error::unavailable("overloaded", "The server is overloaded; try again shortly.").with_retry_after(1));
}

Response handler_failed() { return internal_error_response(); }

}  // namespace mercato::http
