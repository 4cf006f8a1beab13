#pragma once
// The answers the transport gives on its own, before a request reaches the pipeline. They go
// through http/problem.hpp like every other error, so the client sees one problem+json shape.

#include <string_view>

#include "http/response.hpp"

namespace mercato::http {

// 400 "malformed_request": not HTTP/1.1, an invalid target, or ambiguous framing.
Response malformed_request(std::string_view detail);
// 413 "body_too_large".
Response body_too_large();
// 400 "headers_too_large" (ErrorKind has no 431; the code tells the two 400s apart).
Response headers_too_large();
// 503 "overloaded" with Retry-After: 1; the worker pool queue is full.
Response overloaded();
// 500 for a handler that let an exception escape.
Response handler_failed();

}  // namespace mercato::http
