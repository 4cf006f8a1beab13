#include "http/headers.hpp"

#include <algorithm>
#include <cctype>

namespace mercato::http {

bool iequals(std::string_view a, std::string_view b) noexcept {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

void Headers::add(std::string name, std::string value) { entries_.emplace_back(std::move(name), std::move(value)); }

void Headers::set(std::string name, std::string value) {
  remove(name);
  add(std::move(name), std::move(value));
}

void Headers::remove(std::string_view name) {
  std::erase_if(entries_, [&](const Entry& e) { return iequals(e.first, name); });
}

std::optional<std::string_view> Headers::get(std::string_view name) const {
  for (const auto& [key, value] : entries_)
    if (iequals(key, name)) return value;
  return std::nullopt;
}

std::optional<std::string> Headers::get_joined(std::string_view name) const {
  std::optional<std::string> out;
  for (const auto& [key, value] : entries_) {
    if (!iequals(key, name)) continue;
    out = out ? *out + "," + value : value;
  }
  return out;
}

}  // namespace mercato::http
