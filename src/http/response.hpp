#pragma once
// A transport-agnostic HTTP response.

#include <memory>
#include <string>

#include "http/event_stream.hpp"
#include "http/headers.hpp"

namespace mercato::http {

struct Response {
  int status = 200;
  Headers headers;
  std::string body;
  // Set when the connection must close after this response (e.g. a malformed request).
  bool close_connection = false;
  // Set for a streamed answer (Server-Sent Events): `body` is ignored; the transport
  // writes what the stream yields until it ends or the client goes away.
  std::shared_ptr<EventStream> stream{};

  static Response no_content() { return Response{204, {}, {}, false, nullptr}; }
};

}  // namespace mercato::http
