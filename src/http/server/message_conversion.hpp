#pragma once
// Converts between Beast messages and the transport-agnostic Request and Response, so that the
// session deals with I/O only. Internal to the transport.

#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <optional>
#include <string>

#include "http/request.hpp"
#include "http/response.hpp"

namespace mercato::observability {
class Logger;
}

namespace mercato::http {

using BeastRequest = boost::beast::http::request<boost::beast::http::string_body>;
using BeastResponse = boost::beast::http::response<boost::beast::http::string_body>;
using BeastStreamHeader = boost::beast::http::response<boost::beast::http::empty_body>;

// nullopt when the target is not origin-form ("/path?query"). Moves the body out of `message`.
// Only the first `header_fields` fields become headers: Beast appends chunked trailers to the
// same list, and a trailer must not pass for a header (RFC 9110 section 6.5.1).
std::optional<Request> to_request(BeastRequest& message, std::size_t header_fields, const std::string& remote_address);

struct WireContext {
  unsigned version = 11;      // the request's HTTP version
  bool head_request = false;  // send the length of the body, not the body
  bool close = false;         // answer with Connection: close
};

// Owns the framing: Content-Length and Connection come from here, never from the handler.
// A handler header that could split the response is dropped and logged; an impossible status
// becomes 500. `context.close` is raised when the handler asked for Connection: close.
BeastResponse to_wire(Response response, WireContext& context, observability::Logger& log);

}  // namespace mercato::http

namespace mercato::http {

// The header of a streamed answer (Response::stream): chunked on HTTP/1.1; on HTTP/1.0 the
// connection's end marks the stream's (context.close is raised).
BeastStreamHeader to_wire_stream_header(const Response& response, WireContext& context, observability::Logger& log);

}  // namespace mercato::http
