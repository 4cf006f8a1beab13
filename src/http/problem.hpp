#pragma once
// The one place where errors become RFC 9457 application/problem+json responses.

#include <string_view>

#include "core/error.hpp"
#include "http/response.hpp"

namespace mercato::http {

int status_of(ErrorKind kind) noexcept;
std::string_view reason_phrase(int status) noexcept;

Response problem_response(const Error& error);
// A bare 500: the client sees no detail, only the request id (in the header).
Response internal_error_response();

}  // namespace mercato::http
