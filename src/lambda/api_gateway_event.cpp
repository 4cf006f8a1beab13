#include "lambda/api_gateway_event.hpp"

#include <boost/json/serialize.hpp>

#include <array>
#include <cstdint>
#include <span>
#include <string_view>

#include "security/base64.hpp"

namespace mercato::lambda {

namespace {

namespace json = boost::json;

const json::object* object_at(const json::object& parent, std::string_view key) {
  auto it = parent.find(key);
  return it != parent.end() && it->value().is_object() ? &it->value().get_object() : nullptr;
}

std::optional<std::string_view> string_at(const json::object& parent, std::string_view key) {
  auto it = parent.find(key);
  if (it == parent.end() || !it->value().is_string()) return std::nullopt;
  return std::string_view{it->value().get_string()};
}

std::string_view required_string(const json::object& parent, std::string_view key) {
  auto value = string_at(parent, key);
  if (!value) throw MalformedEvent("the event has no string '" + std::string(key) + "'");
  return *value;
}

bool is_allowed_raw(char c, std::string_view extra) {
  auto u = static_cast<unsigned char>(c);
  if ((u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9')) return true;
  return std::string_view{"-._~!$&'()*+,;=:@%"}.find(c) != std::string_view::npos ||
         extra.find(c) != std::string_view::npos;
}

// API Gateway passes the path as the client sent it, but not every client encodes spaces
// or non-ASCII bytes; percent-encode what a request target may not contain so that the
// socket server's target parser reads it the same way.
std::string escape_unsafe(std::string_view text, std::string_view extra_allowed) {
  static constexpr std::array<char, 16> hex{'0', '1', '2', '3', '4', '5', '6', '7',
                                            '8', '9', 'A', 'B', 'C', 'D', 'E', 'F'};
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (is_allowed_raw(c, extra_allowed)) {
      out += c;
    } else {
      auto u = static_cast<unsigned char>(c);
      out += '%';
      out += hex[u >> 4];
      out += hex[u & 0x0F];
    }
  }
  return out;
}

std::string request_target(const json::object& event) {
  auto raw_path = required_string(event, "rawPath");
  if (raw_path.empty() || raw_path.front() != '/') throw MalformedEvent("rawPath must start with '/'");
  auto target = escape_unsafe(raw_path, "/");
  auto raw_query = string_at(event, "rawQueryString").value_or("");
  if (!raw_query.empty()) target += "?" + escape_unsafe(raw_query, "/?");
  return target;
}

void add_headers(const json::object& event, http::Headers& headers) {
  if (const auto* given = object_at(event, "headers"))
    for (const auto& [name, value] : *given)
      if (value.is_string()) headers.add(std::string(name), std::string(value.get_string()));
  auto it = event.find("cookies");
  if (it == event.end() || !it->value().is_array()) return;
  std::string cookie;
  for (const auto& one : it->value().get_array()) {
    if (!one.is_string()) continue;
    if (!cookie.empty()) cookie += "; ";
    cookie += one.get_string();
  }
  if (!cookie.empty()) headers.set("cookie", std::move(cookie));
}

std::string decoded_body(const json::object& event) {
  auto body = string_at(event, "body").value_or("");
  auto encoded = event.find("isBase64Encoded");
  if (encoded == event.end() || !encoded->value().is_bool() || !encoded->value().get_bool()) return std::string(body);
  auto bytes = security::base64_decode(body);
  if (!bytes) throw MalformedEvent("the body is marked base64 but is not");
  return std::string(bytes->begin(), bytes->end());
}

// RFC 3629: well-formed UTF-8 only (no overlongs, surrogates or code points above U+10FFFF).
bool is_utf8(std::string_view text) {
  static constexpr std::array<std::uint32_t, 4> smallest{0, 0x80, 0x800, 0x10000};
  std::size_t i = 0;
  while (i < text.size()) {
    auto lead = static_cast<unsigned char>(text[i]);
    std::size_t extra = 0;
    std::uint32_t code = lead;
    if (lead < 0x80) extra = 0;
    else if ((lead & 0xE0) == 0xC0) extra = 1, code = lead & 0x1F;
    else if ((lead & 0xF0) == 0xE0) extra = 2, code = lead & 0x0F;
    else if ((lead & 0xF8) == 0xF0) extra = 3, code = lead & 0x07;
    else return false;
    if (text.size() - i <= extra) return false;
    for (std::size_t k = 1; k <= extra; ++k) {
      auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0) != 0x80) return false;
      code = (code << 6) | (next & 0x3F);
    }
    if (code < smallest[extra] || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return false;
    i += extra + 1;
  }
  return true;
}

}  // namespace

bool is_http_api_event(const json::object& event) {
  const auto* context = object_at(event, "requestContext");
  return string_at(event, "version") == std::optional<std::string_view>{"2.0"} && context &&
         object_at(*context, "http") != nullptr;
}

GatewayRequest to_request(const json::object& event, std::size_t body_limit) {
  if (!is_http_api_event(event)) throw MalformedEvent("not an API Gateway HTTP API payload 2.0 event");
  const auto& context = *object_at(event, "requestContext");
  const auto& http_context = *object_at(context, "http");
  GatewayRequest out;
  auto& request = out.request;
  request.method = http::parse_method(required_string(http_context, "method"));
  request.target = request_target(event);
  auto target = http::parse_target(request.target);
  if (!target) throw MalformedEvent("rawPath and rawQueryString do not form a request target");
  request.path = std::move(target->path);
  request.query = std::move(target->query);
  add_headers(event, request.headers);
  request.body = decoded_body(event);
  if (request.body.size() > body_limit) {
    request.body.clear();
    out.body_too_large = true;
  }
  request.remote_address = std::string(string_at(http_context, "sourceIp").value_or(""));
  out.gateway_request_id = std::string(string_at(context, "requestId").value_or(""));
  return out;
}

std::string to_gateway_response(const http::Response& response, http::Method method) {
  json::object headers;
  json::array cookies;
  for (const auto& [name, value] : response.headers.entries()) {
    if (http::iequals(name, "Set-Cookie")) {
      cookies.emplace_back(value);
      continue;
    }
    auto it = headers.find(name);
    if (it == headers.end()) headers[name] = value;
    else it->value() = std::string(it->value().get_string()) + ", " + value;
  }
  json::object out{{"statusCode", response.status}, {"headers", std::move(headers)}};
  if (!cookies.empty()) out["cookies"] = std::move(cookies);
  std::string_view body = method == http::Method::head ? std::string_view{} : std::string_view{response.body};
  bool text = is_utf8(body);
  if (text) {
    out["body"] = body;
  } else {
    auto bytes = std::span{reinterpret_cast<const std::uint8_t*>(body.data()), body.size()};
    out["body"] = security::base64_encode(bytes);
  }
  out["isBase64Encoded"] = !text;
  return json::serialize(out);
}

}  // namespace mercato::lambda
