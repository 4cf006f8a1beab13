#include "clients/stripe/form_encoding.hpp"

#include <string_view>

namespace mercato::clients::stripe {

namespace {

bool is_unreserved(unsigned char c) noexcept {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
         c == '_' || c == '~';
}

// Spaces become %20 rather than '+': both decode to a space, and %20 cannot be misread.
void append_encoded(std::string& out, std::string_view text) {
  static constexpr char digits[] = "0123456789ABCDEF";
  for (unsigned char c : text) {
    if (is_unreserved(c)) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(digits[c >> 4]);
      out.push_back(digits[c & 0x0f]);
    }
  }
}

}  // namespace

std::string form_encode(const FormFields& fields) {
  std::string out;
  for (const auto& [key, value] : fields) {
    if (!out.empty()) out.push_back('&');
    append_encoded(out, key);
    out.push_back('=');
    append_encoded(out, value);
  }
  return out;
}

}  // namespace mercato::clients::stripe
