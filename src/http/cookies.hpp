#pragma once
// Reading the Cookie header and writing Set-Cookie values.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace mercato::http {

// The value of cookie `name` in a Cookie header ("a=1; b=2"), nullopt when absent.
std::optional<std::string> cookie_value(std::string_view cookie_header, std::string_view name);

struct CookieAttributes {
  std::string path = "/";
  std::chrono::seconds max_age{0};  // 0 with an empty value: delete the cookie
  bool http_only = true;
  bool secure = true;
  std::string same_site = "Strict";
};

std::string set_cookie_value(std::string_view name, std::string_view value, const CookieAttributes& attributes);

}  // namespace mercato::http
