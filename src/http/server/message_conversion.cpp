#include "http/server/message_conversion.hpp"

#include <boost/beast/core/string.hpp>

#include <algorithm>
#include <cctype>

#include "observability/logger.hpp"

namespace mercato::http {

namespace bhttp = boost::beast::http;

namespace {

// RFC 9110 token characters: anything else in a header name could forge a header.
bool is_token(std::string_view text) {
  constexpr std::string_view specials = "!#$%&'*+-.^_`|~";
  return !text.empty() && std::all_of(text.begin(), text.end(), [&](char c) {
    auto u = static_cast<unsigned char>(c);
    return (u < 128 && std::isalnum(u)) || specials.find(c) != std::string_view::npos;
  });
}

// CR or LF would split the response; NUL confuses clients.
bool is_safe_value(std::string_view text) { return text.find_first_of(std::string_view("\r\n\0", 3)) == text.npos; }

bool is_framing_header(std::string_view name) {
  return iequals(name, "Content-Length") || iequals(name, "Transfer-Encoding") || iequals(name, "Connection");
}

bool asks_to_close(std::string_view connection_value) {
  for (auto token : bhttp::token_list{connection_value})
    if (boost::beast::iequals(token, "close")) return true;
  return false;
}

bool forbids_body(unsigned status) { return status < 200 || status == 204 || status == 304; }

unsigned wire_status(int status, observability::Logger& log) {
  // 1xx cannot be a final answer; Beast throws above 999.
  if (status >= 200 && status <= 599) return static_cast<unsigned>(status);
  log.error("http_invalid_status", {{"status", status}});
  return 500;
}

}  // namespace

std::optional<Request> to_request(BeastRequest& message, std::size_t header_fields, const std::string& remote_address) {
  auto target = parse_target(message.target());
  if (!target) return std::nullopt;
  Request request;
  request.method = parse_method(message.method_string());
  request.target = std::string(message.target());
  request.path = std::move(target->path);
  request.query = std::move(target->query);
  for (const auto& field : message) {
    if (header_fields-- == 0) break;
    request.headers.add(std::string(field.name_string()), std::string(field.value()));
  }
  request.body = std::move(message.body());
  request.remote_address = remote_address;
  return request;
}

namespace {

template <class Message>
void copy_headers(const Response& response, Message& message, WireContext& context, observability::Logger& log) {
  for (auto& [name, value] : response.headers.entries()) {
    if (!is_token(name) || !is_safe_value(value)) {
      log.error("http_unsafe_response_header", {{"header", is_token(name) ? name : std::string("(invalid name)")}});
      continue;
    }
    if (is_framing_header(name)) {
      if (iequals(name, "Connection") && asks_to_close(value)) context.close = true;
      continue;
    }
    message.insert(name, value);
  }
  if (response.close_connection) context.close = true;
}

}  // namespace

BeastStreamHeader to_wire_stream_header(const Response& response, WireContext& context, observability::Logger& log) {
  BeastStreamHeader message;
  message.version(context.version);
  message.result(wire_status(response.status, log));
  copy_headers(response, message, context, log);
  // HTTP/1.0 has no chunked coding: the end of the stream is the end of the connection.
  if (context.version >= 11) message.chunked(true);
  else context.close = true;
  message.keep_alive(!context.close);
  return message;
}

BeastResponse to_wire(Response response, WireContext& context, observability::Logger& log) {
  BeastResponse message;
  message.version(context.version);
  auto status = wire_status(response.status, log);
  message.result(status);
  copy_headers(response, message, context, log);
  if (!forbids_body(status)) {
    message.content_length(response.body.size());
    if (!context.head_request) message.body() = std::move(response.body);
  }
  message.keep_alive(!context.close);
  return message;
}

}  // namespace mercato::http
