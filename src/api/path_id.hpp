#pragma once
// The `:id` of a resource path.

#include <string>
#include <string_view>

#include "http/request.hpp"

namespace mercato::api {

// The id in canonical (lower-case) form. One that is no UUID names nothing: 404 "No such
// <what>.", like any unknown id, so that a malformed id and a missing one look alike.
std::string path_id(const http::Request& request, std::string_view what);

}  // namespace mercato::api
