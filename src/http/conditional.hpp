#pragma once
// Conditional GET for cacheable reads: a strong ETag over the body and 304 Not Modified
// when the client already holds that representation (RFC 9110 §13.1.2).

#include <string_view>

#include "http/request.hpp"
#include "http/response.hpp"

namespace mercato::http {

// Public catalog reads: shared caches may keep them briefly and revalidate cheaply.
inline constexpr std::string_view public_catalog_cache = "public, max-age=30, stale-while-revalidate=60";

// Tags `response` with an ETag and `cache_control`; answers 304 without a body when the
// request's If-None-Match names that tag (weak comparison) or is "*".
Response cacheable(const Request& request, Response response, std::string_view cache_control);

// True when an If-None-Match field value matches `etag` by the weak comparison.
bool if_none_match_matches(std::string_view if_none_match, std::string_view etag);

}  // namespace mercato::http
