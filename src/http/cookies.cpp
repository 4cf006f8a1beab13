#include "http/cookies.hpp"

namespace mercato::http {

std::optional<std::string> cookie_value(std::string_view header, std::string_view name) {
  while (!header.empty()) {
    auto end = header.find(';');
    auto pair = header.substr(0, end);
    header = end == std::string_view::npos ? std::string_view{} : header.substr(end + 1);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    auto eq = pair.find('=');
    if (eq != std::string_view::npos && pair.substr(0, eq) == name) {
      auto value = pair.substr(eq + 1);
      if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
      return std::string(value);
    }
  }
  return std::nullopt;
}

std::string set_cookie_value(std::string_view name, std::string_view value, const CookieAttributes& a) {
  std::string out = std::string(name) + "=" + std::string(value) + "; Path=" + a.path +
                    "; Max-Age=" + std::to_string(a.max_age.count());
  if (a.http_only) out += "; HttpOnly";
  if (a.secure) out += "; Secure";
  if (!a.same_site.empty()) out += "; SameSite=" + a.same_site;
  return out;
}

}  // namespace mercato::http
