#pragma once
// Case-insensitive, multi-valued HTTP header list (Set-Cookie may repeat).

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mercato::http {

bool iequals(std::string_view a, std::string_view b) noexcept;

class Headers {
 public:
  using Entry = std::pair<std::string, std::string>;

  void add(std::string name, std::string value);
  // Replaces every existing value of `name`.
  void set(std::string name, std::string value);
  void remove(std::string_view name);
  std::optional<std::string_view> get(std::string_view name) const;
  // Every value of `name` joined with "," in order (how repeated list headers combine).
  std::optional<std::string> get_joined(std::string_view name) const;
  bool contains(std::string_view name) const { return get(name).has_value(); }
  const std::vector<Entry>& entries() const noexcept { return entries_; }

 private:
  std::vector<Entry> entries_;
};

}  // namespace mercato::http
