#include "domain/accounts/account_rules.hpp"

#include <algorithm>
#include <cctype>

#include "core/error.hpp"

namespace mercato::domain {

std::string normalize_email(std::string_view email) {
  auto is_space = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
  while (!email.empty() && is_space(email.front())) email.remove_prefix(1);
  while (!email.empty() && is_space(email.back())) email.remove_suffix(1);
  std::string out(email);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

bool is_valid_email(std::string_view email) {
  if (email.size() < 3 || email.size() > 254) return false;
  if (std::any_of(email.begin(), email.end(), [](unsigned char c) { return c <= ' ' || c == 0x7f; })) return false;
  auto at = email.find('@');
  if (at == 0 || at == std::string_view::npos || email.find('@', at + 1) != std::string_view::npos) return false;
  auto domain = email.substr(at + 1);
  auto dot = domain.find('.');
  return dot != std::string_view::npos && dot > 0 && domain.back() != '.' && domain.find("..") == std::string_view::npos;
}

bool is_valid_password(std::string_view password) {
  return password.size() >= 8 && password.size() <= 72 && password.find('\0') == std::string_view::npos;
}

void require_valid_password(std::string_view password, std::string_view field) {
  if (!is_valid_password(password))
    throw Error::validation({{std::string(field), "Must be 8 to 72 bytes long."}});
}

void require_valid_email(std::string_view normalized, std::string_view field) {
  if (!is_valid_email(normalized)) throw Error::validation({{std::string(field), "Must be an email address."}});
}

}  // namespace mercato::domain
