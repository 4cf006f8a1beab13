#include "clients/stripe/json_fields.hpp"

#include <boost/json/parse.hpp>

#include <limits>

namespace mercato::clients::stripe {

std::optional<boost::json::object> parse_object(std::string_view text) {
  boost::system::error_code ec;
  auto value = boost::json::parse(text, ec);  // default options: depth capped, no comments
  if (ec || !value.is_object()) return std::nullopt;
  return std::move(value.as_object());
}

const boost::json::object* object_at(const boost::json::object& parent, std::string_view key) {
  auto* value = parent.if_contains(key);
  return value ? value->if_object() : nullptr;
}

std::optional<std::string> string_at(const boost::json::object& parent, std::string_view key) {
  auto* value = parent.if_contains(key);
  if (!value || !value->is_string()) return std::nullopt;
  return std::string(value->get_string());
}

std::optional<std::int64_t> integer_at(const boost::json::object& parent, std::string_view key) {
  auto* value = parent.if_contains(key);
  if (!value) return std::nullopt;
  if (value->is_int64()) return value->get_int64();
  // Boost.JSON keeps integers above INT64_MAX as unsigned; no amount is that large.
  if (value->is_uint64() && value->get_uint64() <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
    return static_cast<std::int64_t>(value->get_uint64());
  return std::nullopt;
}

std::optional<std::string> id_at(const boost::json::object& parent, std::string_view key) {
  if (auto id = string_at(parent, key)) return id;
  if (auto* expanded = object_at(parent, key)) return string_at(*expanded, "id");
  return std::nullopt;
}

}  // namespace mercato::clients::stripe
