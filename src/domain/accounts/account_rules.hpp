#pragma once
// Input rules for accounts, shared by the services and the command line.

#include <string>
#include <string_view>

namespace mercato::domain {

// Trimmed and lower-cased; the form stored and compared.
std::string normalize_email(std::string_view email);
// A plausible address: one '@', a non-empty local part, a dotted domain, no spaces or
// control characters, at most 254 bytes.
bool is_valid_email(std::string_view normalized);
// 8 to 72 bytes (bcrypt's limit: longer is refused, never silently cut), no NUL.
bool is_valid_password(std::string_view password);
// Throws a 400 naming `field` when the password breaks the rule.
void require_valid_password(std::string_view password, std::string_view field);
void require_valid_email(std::string_view normalized, std::string_view field);

}  // namespace mercato::domain
