#pragma once
// List conventions of the API: `limit` (1-100, default 20) and an opaque `cursor`,
// answered as {"data": [...], "next_cursor": "..." | null}.

#include <boost/json/value.hpp>

#include <optional>
#include <string>
#include <vector>

#include "http/request.hpp"

namespace mercato::api {

// 400 naming `limit` outside 1..100 or not a number.
std::size_t page_limit(const http::Request& request);

// A keyset position as an opaque token: base64url of its parts joined by '\n'.
std::string encode_cursor(const std::vector<std::string>& parts);
// The parts of the request's `cursor`, nullopt when absent; 400 `invalid_cursor` when it is
// not one of ours or has not `expected_parts` parts.
std::optional<std::vector<std::string>> decode_cursor(const http::Request& request, std::size_t expected_parts);

// The (created_at, id) position of lists ordered newest first; nullopt without a cursor,
// 400 `invalid_cursor` for one that is not such a position.
struct TimeCursor {
  std::string created_at;
  std::string id;
};
std::optional<TimeCursor> decode_time_cursor(const http::Request& request);

boost::json::object list_body(boost::json::array data, std::optional<std::string> next_cursor);

}  // namespace mercato::api
