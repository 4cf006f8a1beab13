#include "stripe_emulator/api_key.hpp"

#include <algorithm>

#include "security/base64.hpp"
#include "stripe_emulator/stripe_errors.hpp"

namespace mercato::stripe_emulator {

namespace {

constexpr std::string_view test_secret_prefix = "sk_test_";

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

bool starts_with_scheme(std::string_view value, std::string_view scheme) {
  return value.size() > scheme.size() && http::iequals(value.substr(0, scheme.size()), scheme) &&
         value[scheme.size()] == ' ';
}

// The user name of Basic credentials; the whole value when it does not decode.
std::string basic_user(std::string_view credentials) {
  auto decoded = security::base64_decode(credentials);
  if (!decoded) return std::string(credentials);
  std::string text(decoded->begin(), decoded->end());
  return text.substr(0, text.find(':'));
}

bool is_test_secret_key(std::string_view key) {
  return key.size() > test_secret_prefix.size() && key.starts_with(test_secret_prefix) &&
         std::all_of(key.begin(), key.end(), [](unsigned char c) { return c > 0x20 && c < 0x7f; });
}

}  // namespace

std::string authenticate(const http::Headers& headers) {
  auto value = trim(headers.get("Authorization").value_or(""));
  if (value.empty()) throw missing_api_key();
  std::string key;
  if (starts_with_scheme(value, "Bearer")) key = std::string(trim(value.substr(6)));
  else if (starts_with_scheme(value, "Basic")) key = basic_user(trim(value.substr(5)));
  else key = std::string(value);
  if (key.empty()) throw missing_api_key();
  if (!is_test_secret_key(key)) throw invalid_api_key(key);
  return key;
}

}  // namespace mercato::stripe_emulator
