#include "stripe_emulator/form_body.hpp"

#include <boost/json/array.hpp>

#include <cstdint>
#include <optional>

namespace mercato::stripe_emulator {

namespace {

// Deeper names than this are not something any Stripe parameter needs.
constexpr std::size_t max_name_depth = 8;

std::optional<int> hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return std::nullopt;
}

// Length of the UTF-8 sequence that starts with `lead`, 0 when `lead` cannot start one.
std::size_t sequence_length(unsigned char lead) {
  if (lead < 0x80) return 1;
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

// Rejects overlong forms, surrogates and code points above U+10FFFF: JSON cannot carry them.
bool is_valid_utf8(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    auto lead = static_cast<unsigned char>(text[i]);
    auto length = sequence_length(lead);
    if (length == 0 || i + length > text.size()) return false;
    for (std::size_t k = 1; k < length; ++k)
      if ((static_cast<unsigned char>(text[i + k]) & 0xc0) != 0x80) return false;
    if (length > 1) {
      auto second = static_cast<unsigned char>(text[i + 1]);
      if (lead == 0xe0 && second < 0xa0) return false;
      if (lead == 0xed && second > 0x9f) return false;
      if (lead == 0xf0 && second < 0x90) return false;
      if (lead == 0xf4 && second > 0x8f) return false;
    }
    i += length;
  }
  return true;
}

std::string percent_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '+') {
      out.push_back(' ');
      continue;
    }
    if (c != '%') {
      out.push_back(c);
      continue;
    }
    auto high = i + 1 < text.size() ? hex_value(text[i + 1]) : std::nullopt;
    auto low = i + 2 < text.size() ? hex_value(text[i + 2]) : std::nullopt;
    if (!high || !low) throw FormError("Invalid percent-encoding in the request body");
    out.push_back(static_cast<char>(*high * 16 + *low));
    i += 2;
  }
  if (!is_valid_utf8(out)) throw FormError("The request body is not valid UTF-8");
  return out;
}

// "a[b][]" -> {"a", "b", ""}; the empty segment means "append to an array" and may only come last.
std::vector<std::string> name_segments(const std::string& name) {
  auto open = name.find('[');
  std::vector<std::string> segments{name.substr(0, open)};
  if (segments.front().empty()) throw FormError("Invalid parameter name: '" + name + "'");
  while (open != std::string::npos) {
    auto close = name.find(']', open + 1);
    if (close == std::string::npos) throw FormError("Invalid parameter name (unclosed bracket): '" + name + "'");
    auto inner = name.substr(open + 1, close - open - 1);
    if (inner.find('[') != std::string::npos) throw FormError("Invalid parameter name: '" + name + "'");
    if (segments.back().empty()) throw FormError("Invalid parameter name ('[]' must come last): '" + name + "'");
    segments.push_back(std::move(inner));
    open = close + 1;
    if (open == name.size()) break;
    if (name[open] != '[') throw FormError("Invalid parameter name: '" + name + "'");
  }
  if (segments.size() > max_name_depth) throw FormError("Parameter name nested too deeply: '" + name + "'");
  return segments;
}

[[noreturn]] void conflict(const std::string& name) {
  throw FormError("Parameter '" + name + "' is given both as a value and as a nested object or array");
}

boost::json::object& child_object(boost::json::object& parent, const std::string& key, const std::string& name) {
  auto* slot = parent.if_contains(key);
  if (!slot) return parent[key].emplace_object();
  if (!slot->is_object()) conflict(name);
  return slot->as_object();
}

void insert(boost::json::object& root, const std::string& name, const std::string& value) {
  auto segments = name_segments(name);
  boost::json::object* node = &root;
  for (std::size_t i = 0; i + 1 < segments.size(); ++i) {
    if (segments[i + 1].empty()) {  // "key[]": append
      auto* slot = node->if_contains(segments[i]);
      if (!slot) {
        slot = &(*node)[segments[i]];
        slot->emplace_array();
      } else if (!slot->is_array()) {
        conflict(name);
      }
      slot->as_array().emplace_back(value);
      return;
    }
    node = &child_object(*node, segments[i], name);
  }
  auto* slot = node->if_contains(segments.back());
  if (slot && !slot->is_string()) conflict(name);
  (*node)[segments.back()] = value;  // a repeated plain name: the last one wins, as in Rack
}

}  // namespace

FormFields split_form(std::string_view text) {
  FormFields fields;
  while (!text.empty()) {
    auto amp = text.find('&');
    auto piece = text.substr(0, amp);
    text = amp == std::string_view::npos ? std::string_view{} : text.substr(amp + 1);
    if (piece.empty()) continue;
    auto equals = piece.find('=');
    auto name = percent_decode(piece.substr(0, equals));
    auto value = equals == std::string_view::npos ? std::string{} : percent_decode(piece.substr(equals + 1));
    fields.emplace_back(std::move(name), std::move(value));
  }
  return fields;
}

boost::json::object nest_form(const FormFields& fields) {
  boost::json::object root;
  for (const auto& [name, value] : fields) insert(root, name, value);
  return root;
}

}  // namespace mercato::stripe_emulator
