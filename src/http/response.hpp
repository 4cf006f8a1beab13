#pragma once
// A transport-agnostic HTTP response.

#include <string>

#include "http/headers.hpp"

namespace mercato::http {

struct Response {
  int status = 200;
  Headers headers;
  std::string body;
  // Set when the connection must close after this response (e.g. a malformed request).
  bool close_connection = false;

  static Response no_content() { return Response{204, {}, {}, false}; }
};

}  // namespace mercato::http
