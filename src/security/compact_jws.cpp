#include "security/compact_jws.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include "security/base64.hpp"

namespace mercato::security {

namespace json = boost::json;

namespace {

std::string string_member(const json::object& object, std::string_view name) {
  const json::value* value = object.if_contains(name);
  if (value == nullptr || !value->is_string()) return {};
  return std::string(value->get_string());
}

}  // namespace

std::optional<CompactJws> split_compact_jws(std::string_view token, std::size_t max_bytes) {
  if (token.empty() || token.size() > max_bytes) return std::nullopt;
  std::size_t first = token.find('.');
  if (first == std::string_view::npos) return std::nullopt;
  std::size_t second = token.find('.', first + 1);
  if (second == std::string_view::npos || token.find('.', second + 1) != std::string_view::npos) return std::nullopt;
  CompactJws out{token.substr(0, first), token.substr(first + 1, second - first - 1), token.substr(second + 1),
                 token.substr(0, second)};
  if (out.header_part.empty() || out.payload_part.empty() || out.signature_part.empty()) return std::nullopt;
  return out;
}

std::optional<std::string> string_claim(const json::object& payload, std::string_view name) {
  const json::value* value = payload.if_contains(name);
  if (value == nullptr || !value->is_string()) return std::nullopt;
  return std::string(value->get_string());
}

std::optional<std::int64_t> integer_claim(const json::object& payload, std::string_view name) {
  const json::value* value = payload.if_contains(name);
  if (value == nullptr || !value->is_int64()) return std::nullopt;
  return value->get_int64();
}

std::optional<json::object> decode_json_segment(std::string_view segment) {
  auto bytes = base64url_decode(segment);
  if (!bytes) return std::nullopt;
  boost::system::error_code ec;
  json::value value = json::parse(std::string_view(reinterpret_cast<const char*>(bytes->data()), bytes->size()), ec);
  if (ec || !value.is_object()) return std::nullopt;
  return std::move(value.as_object());
}

std::optional<JoseHeader> peek_jose_header(std::string_view token, std::size_t max_bytes) {
  auto parts = split_compact_jws(token, max_bytes);
  if (!parts) return std::nullopt;
  return read_jose_header(*parts);
}

std::optional<JoseHeader> read_jose_header(const CompactJws& parts) {
  auto header = decode_json_segment(parts.header_part);
  if (!header) return std::nullopt;
  JoseHeader out;
  out.alg = string_member(*header, "alg");
  out.kid = string_member(*header, "kid");
  out.has_typ = header->contains("typ");
  out.typ = string_member(*header, "typ");
  out.has_crit = header->contains("crit");
  return out;
}

}  // namespace mercato::security
