#pragma once
// The Idempotency-Key request header (IETF httpapi-idempotency-key-header).

#include <optional>
#include <string>

#include "http/request.hpp"

namespace mercato::api {

// The key, nullopt without the header; 400 naming the header unless it is 1 to 255
// visible ASCII characters (a UUID is the usual choice). Sent as a structured-field
// string ("...") or bare, both are accepted.
std::optional<std::string> idempotency_key_of(const http::Request& request);

}  // namespace mercato::api
