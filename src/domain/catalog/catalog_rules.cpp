#include "domain/catalog/catalog_rules.hpp"

#include <cctype>

#include "domain/catalog/currency.hpp"
#include "domain/catalog/stop_words.hpp"

namespace mercato::domain {

namespace {

constexpr std::size_t max_name_length = 200;
constexpr std::size_t max_category_description_length = 2000;
constexpr std::size_t max_product_description_length = 5000;
constexpr std::size_t max_search_terms = 16;

bool is_c0_control(unsigned char c) { return c < 0x20 || c == 0x7f; }

// U+0080..U+009F, encoded in UTF-8 as C2 80..C2 9F.
bool is_c1_control_at(std::string_view text, std::size_t i) {
  return static_cast<unsigned char>(text[i]) == 0xc2 && i + 1 < text.size() &&
         static_cast<unsigned char>(text[i + 1]) >= 0x80 && static_cast<unsigned char>(text[i + 1]) <= 0x9f;
}

bool has_control_character(std::string_view text, std::string_view allowed = {}) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if (is_c0_control(c) && allowed.find(static_cast<char>(c)) == std::string_view::npos) return true;
    if (is_c1_control_at(text, i)) return true;
  }
  return false;
}

std::string trimmed(std::string_view text) {
  auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  auto last = text.find_last_not_of(" \t\r\n");
  return std::string(text.substr(first, last - first + 1));
}

void check_name(std::optional<std::string>& name, std::vector<FieldError>& errors) {
  if (!name) return;
  *name = trimmed(*name);
  auto length = utf8_length(*name);
  if (length < 1 || length > max_name_length)
    errors.push_back({"name", "Must be 1 to " + std::to_string(max_name_length) + " characters long."});
  else if (has_control_character(*name))
    errors.push_back({"name", "Must not contain control characters."});
}

void check_description(const std::optional<std::string>& description, std::size_t max_length,
                       std::vector<FieldError>& errors) {
  if (!description) return;
  if (utf8_length(*description) > max_length)
    errors.push_back({"description", "Must be at most " + std::to_string(max_length) + " characters long."});
  else if (has_control_character(*description, "\n\r\t"))
    errors.push_back({"description", "Must not contain control characters other than line breaks and tabs."});
}

void check_currency(std::optional<std::string>& currency, std::vector<FieldError>& errors) {
  if (!currency) return;
  for (auto& c : *currency) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (!is_known_currency(*currency)) errors.push_back({"currency", "Must be an ISO 4217 currency code, e.g. usd."});
}

bool is_word_byte(unsigned char c) { return std::isalnum(c) || c >= 0x80; }

}  // namespace

std::size_t utf8_length(std::string_view text) {
  std::size_t count = 0;
  for (unsigned char c : text)
    if ((c & 0xc0) != 0x80) ++count;  // every byte but continuation bytes starts a code point
  return count;
}

void normalize_category_fields(CategoryFields& fields, std::vector<FieldError>& errors) {
  check_name(fields.name, errors);
  check_description(fields.description, max_category_description_length, errors);
}

void normalize_product_fields(ProductFields& fields, std::vector<FieldError>& errors) {
  check_name(fields.name, errors);
  check_description(fields.description, max_product_description_length, errors);
  check_currency(fields.currency, errors);
}

void check_category_fields(CategoryFields& fields, bool creating, std::vector<FieldError>& errors) {
  if (creating && !fields.name) errors.push_back({"name", "Required."});
  normalize_category_fields(fields, errors);
}

void check_product_fields(const Principal& actor, ProductFields& fields, bool creating,
                          std::vector<FieldError>& errors) {
  bool admin = actor.role == "admin";
  if (creating) {
    if (!fields.name) errors.push_back({"name", "Required."});
    if (!fields.price) errors.push_back({"price", "Required."});
    if (!fields.stock_quantity) errors.push_back({"stock_quantity", "Required."});
    if (!fields.category_id) errors.push_back({"category_id", "Required."});
    if (admin && !fields.vendor_id) errors.push_back({"vendor_id", "Required: the vendor who sells it."});
  }
  if (!admin && fields.vendor_id) errors.push_back({"vendor_id", "Not allowed: a vendor's products are always its own."});
  normalize_product_fields(fields, errors);
}

std::vector<std::string> search_terms(std::string_view query) {
  std::vector<std::string> terms;
  std::string word;
  auto flush = [&] {
    if (!word.empty() && !is_stop_word(word) && terms.size() < max_search_terms) terms.push_back(word);
    word.clear();
  };
  for (unsigned char c : query) {
    if (is_word_byte(c)) word += static_cast<char>(std::tolower(c));
    else flush();
  }
  flush();
  return terms;
}

}  // namespace mercato::domain
