#pragma once
// ISO 4217 currency codes, from Debian's iso-codes package (generated at build time).

#include <span>
#include <string_view>

namespace mercato::domain {

// Every current ISO 4217 code, lower-case, sorted.
std::span<const std::string_view> known_currency_codes();
bool is_known_currency(std::string_view lower_case_code);

}  // namespace mercato::domain
