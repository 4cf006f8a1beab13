#include "http/conditional.hpp"

#include "security/digest.hpp"

namespace mercato::http {

namespace {

std::string_view trim(std::string_view text) {
  auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

std::string_view opaque_tag(std::string_view tag) {
  if (tag.starts_with("W/")) tag.remove_prefix(2);
  return tag;
}

std::string body_etag(std::string_view body) {
  return "\"" + security::sha256_hex(body).substr(0, 32) + "\"";
}

}  // namespace

bool if_none_match_matches(std::string_view if_none_match, std::string_view etag) {
  if (trim(if_none_match) == "*") return true;
  while (!if_none_match.empty()) {
    auto comma = if_none_match.find(',');
    auto candidate = trim(if_none_match.substr(0, comma));
    if (!candidate.empty() && opaque_tag(candidate) == opaque_tag(etag)) return true;
    if (comma == std::string_view::npos) break;
    if_none_match.remove_prefix(comma + 1);
  }
  return false;
}

Response cacheable(const Request& request, Response response, std::string_view cache_control) {
  auto etag = body_etag(response.body);
  response.headers.set("ETag", etag);
  response.headers.set("Cache-Control", std::string(cache_control));
  auto condition = request.headers.get_joined("If-None-Match");
  if (response.status == 200 && condition && if_none_match_matches(*condition, etag)) {
    response.status = 304;
    response.body.clear();
    response.headers.remove("Content-Type");
  }
  return response;
}

}  // namespace mercato::http
