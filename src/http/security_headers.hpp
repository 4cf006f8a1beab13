#pragma once
// Headers every API response carries; an API serves no HTML, so the policy is strict.

#include "http/response.hpp"

namespace mercato::http {

void add_security_headers(Response& response);

}  // namespace mercato::http
