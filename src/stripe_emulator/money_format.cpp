#include "stripe_emulator/money_format.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdlib>
#include <utility>

namespace mercato::stripe_emulator {

namespace {

constexpr std::array<std::string_view, 16> zero_decimal{"bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga",
                                                        "pyg", "rwf", "ugx", "vnd", "vuv", "xaf", "xof", "xpf"};

constexpr std::array<std::pair<std::string_view, std::string_view>, 4> symbols{
    {{"usd", "$"}, {"eur", "\u20ac"}, {"gbp", "\u00a3"}, {"jpy", "\u00a5"}}};

std::string symbol_of(std::string_view currency) {
  for (const auto& [code, symbol] : symbols)
    if (code == currency) return std::string(symbol);
  std::string upper(currency);
  std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char c) { return std::toupper(c); });
  return upper + " ";
}

}  // namespace

bool is_zero_decimal(std::string_view currency) {
  return std::find(zero_decimal.begin(), zero_decimal.end(), currency) != zero_decimal.end();
}

std::string format_amount(std::int64_t minor_units, std::string_view currency) {
  std::string sign = minor_units < 0 ? "-" : "";
  auto magnitude = static_cast<std::uint64_t>(minor_units < 0 ? -(minor_units + 1) : minor_units) +
                   (minor_units < 0 ? 1 : 0);
  if (is_zero_decimal(currency)) return sign + symbol_of(currency) + std::to_string(magnitude);
  auto cents = magnitude % 100;
  return sign + symbol_of(currency) + std::to_string(magnitude / 100) + (cents < 10 ? ".0" : ".") +
         std::to_string(cents);
}

}  // namespace mercato::stripe_emulator
