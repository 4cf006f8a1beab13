#include "api/pagination.hpp"

#include <charconv>

#include "core/error.hpp"
#include "core/time_format.hpp"
#include "security/base64.hpp"
#include "security/uuid.hpp"

namespace mercato::api {

std::size_t page_limit(const http::Request& request) {
  auto text = request.query_param("limit");
  if (!text) return 20;
  std::size_t limit = 0;
  auto [ptr, ec] = std::from_chars(text->data(), text->data() + text->size(), limit);
  if (ec != std::errc{} || ptr != text->data() + text->size() || limit < 1 || limit > 100)
    throw Error::validation({{"limit", "Must be an integer from 1 to 100."}});
  return limit;
}

std::string encode_cursor(const std::vector<std::string>& parts) {
  std::string joined;
  for (std::size_t i = 0; i < parts.size(); ++i) joined += (i ? "\n" : "") + parts[i];
  return security::base64url_encode({reinterpret_cast<const std::uint8_t*>(joined.data()), joined.size()});
}

std::optional<std::vector<std::string>> decode_cursor(const http::Request& request, std::size_t expected_parts) {
  auto text = request.query_param("cursor");
  if (!text) return std::nullopt;
  auto invalid = [] { return Error::invalid("invalid_cursor", "The cursor is not valid; start from the first page."); };
  auto bytes = security::base64url_decode(*text);
  if (!bytes) throw invalid();
  std::string joined(bytes->begin(), bytes->end());
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    auto end = joined.find('\n', start);
    parts.push_back(joined.substr(start, end - start));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  if (parts.size() != expected_parts) throw invalid();
  return parts;
}

std::optional<TimeCursor> decode_time_cursor(const http::Request& request) {
  auto parts = decode_cursor(request, 2);
  if (!parts) return std::nullopt;
  auto id = security::canonical_uuid((*parts)[1]);
  if (!parse_rfc3339((*parts)[0]) || !id)
    throw Error::invalid("invalid_cursor", "The cursor is not valid; start from the first page.");
  return TimeCursor{(*parts)[0], *id};
}

boost::json::object list_body(boost::json::array data, std::optional<std::string> next_cursor) {
  boost::json::object body{{"data", std::move(data)}};
  if (next_cursor) body["next_cursor"] = *next_cursor;
  else body["next_cursor"] = nullptr;
  return body;
}

}  // namespace mercato::api
