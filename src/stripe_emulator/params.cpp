#include "stripe_emulator/params.hpp"

#include <algorithm>
#include <charconv>
#include <map>

#include "stripe_emulator/stripe_errors.hpp"

namespace mercato::stripe_emulator {

namespace {

constexpr std::size_t max_metadata_keys = 50;
constexpr std::size_t max_metadata_key_length = 40;
constexpr std::size_t max_metadata_value_length = 500;

StripeApiError invalid(std::string_view param, std::string message) {
  return invalid_request(400, message, {}, param, ErrorPhase::validation);
}

std::optional<std::size_t> parse_index(std::string_view text) {
  std::size_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

}  // namespace

Params::Params(boost::json::object fields, std::initializer_list<std::string_view> allowed)
    : Params(std::move(fields), allowed, {}) {}

Params::Params(boost::json::object fields, std::initializer_list<std::string_view> allowed, std::string prefix)
    : fields_(std::move(fields)), prefix_(std::move(prefix)) {
  for (const auto& field : fields_)
    if (std::find(allowed.begin(), allowed.end(), field.key()) == allowed.end())
      throw parameter_unknown(full_name(field.key()));
}

std::string Params::full_name(std::string_view name) const {
  return prefix_.empty() ? std::string(name) : prefix_ + "[" + std::string(name) + "]";
}

const boost::json::value* Params::find(std::string_view name) const {
  const auto* value = fields_.if_contains(name);
  if (!value || (value->is_string() && value->as_string().empty())) return nullptr;
  return value;
}

bool Params::has(std::string_view name) const { return find(name) != nullptr; }

std::optional<std::string> Params::text(std::string_view name) const {
  const auto* value = find(name);
  if (!value) return std::nullopt;
  if (!value->is_string()) throw invalid(full_name(name), "Invalid string: " + full_name(name) + " must be a string");
  return std::string(value->as_string());
}

std::string Params::required_text(std::string_view name) const {
  auto value = text(name);
  if (!value) throw parameter_missing(full_name(name));
  return *value;
}

std::optional<std::int64_t> Params::integer(std::string_view name) const {
  auto value = text(name);
  if (!value) return std::nullopt;
  std::int64_t number = 0;
  auto [end, ec] = std::from_chars(value->data(), value->data() + value->size(), number);
  if (ec != std::errc{} || end != value->data() + value->size()) throw parameter_invalid_integer(full_name(name), *value);
  return number;
}

std::optional<bool> Params::boolean(std::string_view name) const {
  auto value = text(name);
  if (!value) return std::nullopt;
  if (*value == "true") return true;
  if (*value == "false") return false;
  throw invalid(full_name(name), "Invalid boolean: " + *value);
}

std::optional<Params> Params::nested(std::string_view name, std::initializer_list<std::string_view> allowed) const {
  const auto* value = find(name);
  if (!value) return std::nullopt;
  if (!value->is_object()) throw invalid(full_name(name), "Invalid object");
  return Params(value->as_object(), allowed, full_name(name));
}

boost::json::object Params::metadata() const {
  const auto* value = find("metadata");
  if (!value) return {};
  if (!value->is_object()) throw invalid("metadata", "Invalid object");
  const auto& entries = value->as_object();
  if (entries.size() > max_metadata_keys)
    throw invalid("metadata", "Invalid metadata: metadata can have up to 50 keys, but you passed in " +
                                  std::to_string(entries.size()) + " keys.");
  boost::json::object metadata;
  for (const auto& entry : entries) {
    auto param = "metadata[" + std::string(entry.key()) + "]";
    if (!entry.value().is_string()) throw invalid(param, "Invalid string: metadata values must be strings");
    if (entry.key().size() > max_metadata_key_length)
      throw invalid(param, "Metadata keys must be at most 40 characters long.");
    if (entry.value().as_string().size() > max_metadata_value_length)
      throw invalid(param, "Metadata values must be at most 500 characters long.");
    if (!entry.value().as_string().empty()) metadata[entry.key()] = entry.value();
  }
  return metadata;
}

std::vector<std::string> Params::list(std::string_view name) const {
  const auto* value = find(name);
  std::vector<std::string> items;
  if (!value) return items;
  auto add = [&](const boost::json::value& item) {
    if (!item.is_string()) throw invalid(full_name(name), "Invalid array");
    items.emplace_back(item.as_string());
  };
  if (value->is_array()) {
    for (const auto& item : value->as_array()) add(item);
    return items;
  }
  if (!value->is_object()) throw invalid(full_name(name), "Invalid array");
  std::map<std::size_t, const boost::json::value*> by_index;
  for (const auto& entry : value->as_object()) {
    auto index = parse_index(entry.key());
    if (!index) throw invalid(full_name(name), "Invalid array");
    by_index[*index] = &entry.value();
  }
  for (const auto& [index, item] : by_index) add(*item);
  return items;
}

}  // namespace mercato::stripe_emulator
