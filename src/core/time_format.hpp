#pragma once
// RFC 3339 UTC timestamps with a fixed microsecond width ("2026-11-25T23:24:30.123456Z"),
// so that their text order is their time order (SQLite stores them as text).

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace mercato {

std::string format_rfc3339(std::chrono::system_clock::time_point t);
std::optional<std::chrono::system_clock::time_point> parse_rfc3339(std::string_view text);
// IMF-fixdate for the HTTP Date header (RFC 9110 §5.6.7): "Wed, 25 Nov 2026 23:24:30 GMT".
std::string format_http_date(std::chrono::system_clock::time_point t);

}  // namespace mercato
