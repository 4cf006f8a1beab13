#pragma once
// API Gateway HTTP API events (payload format 2.0) to and from the transport-agnostic
// Request/Response, so that Lambda invocations go through the same pipeline and router as
// the socket server. Pure translation: no I/O.

#include <boost/json/object.hpp>

#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>

#include "http/request.hpp"
#include "http/response.hpp"

namespace mercato::lambda {

// The event is not a well-formed HTTP API 2.0 request (a wrong integration or a direct
// invocation with a malformed payload): the invocation fails, no HTTP answer is made.
class MalformedEvent : public std::runtime_error {
  using std::runtime_error::runtime_error;
};

// True for an object shaped like a payload 2.0 event ("version": "2.0" and requestContext.http).
bool is_http_api_event(const boost::json::object& event);

struct GatewayRequest {
  http::Request request;
  std::string gateway_request_id;  // requestContext.requestId: what API Gateway's access log shows
  bool body_too_large = false;     // the decoded body exceeded the limit; `request.body` is empty
};

// Method, raw path and query, headers (lower-case, comma-joined by API Gateway), `cookies`
// joined into one Cookie header, base64 bodies decoded, the client's address from
// requestContext.http.sourceIp. Throws MalformedEvent.
GatewayRequest to_request(const boost::json::object& event, std::size_t body_limit);

// statusCode, headers (repeated ones comma-joined), Set-Cookie values as `cookies`, and the
// body as text, or base64 with isBase64Encoded when it is not valid UTF-8. HEAD answers
// carry no body. A streamed response must be replaced before this is called.
std::string to_gateway_response(const http::Response& response, http::Method method);

}  // namespace mercato::lambda
