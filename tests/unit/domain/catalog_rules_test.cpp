#include <gtest/gtest.h>

#include <algorithm>

#include "domain/catalog/catalog_rules.hpp"
#include "domain/catalog/currency.hpp"

using namespace mercato;
using namespace mercato::domain;

namespace {

std::string repeat(std::string_view unit, std::size_t times) {
  std::string text;
  for (std::size_t i = 0; i < times; ++i) text += unit;
  return text;
}

std::vector<std::string> fields_of(const std::vector<FieldError>& errors) {
  std::vector<std::string> fields;
  for (const auto& e : errors) fields.push_back(e.field);
  return fields;
}

std::vector<FieldError> product_errors(ProductFields fields) {
  std::vector<FieldError> errors;
  normalize_product_fields(fields, errors);
  return errors;
}

std::vector<FieldError> category_errors(CategoryFields fields) {
  std::vector<FieldError> errors;
  normalize_category_fields(fields, errors);
  return errors;
}

ProductFields product_name(std::string name) {
  ProductFields fields;
  fields.name = std::move(name);
  return fields;
}

ProductFields product_description(std::string description) {
  ProductFields fields;
  fields.description = std::move(description);
  return fields;
}

ProductFields product_currency(std::string currency) {
  ProductFields fields;
  fields.currency = std::move(currency);
  return fields;
}

CategoryFields category(std::optional<std::string> name, std::optional<std::string> description = std::nullopt) {
  CategoryFields fields;
  fields.name = std::move(name);
  fields.description = std::move(description);
  return fields;
}

using Fields = std::vector<std::string>;

}  // namespace

TEST(Utf8Length, CountsCodePointsNotBytes) {
  EXPECT_EQ(utf8_length(""), 0u);
  EXPECT_EQ(utf8_length("hello"), 5u);
  EXPECT_EQ(utf8_length("\xc3\xa9"), 1u);                  // é, 2 bytes
  EXPECT_EQ(utf8_length("caf\xc3\xa9"), 4u);               // café
  EXPECT_EQ(utf8_length("\xe2\x82\xac"), 1u);              // €, 3 bytes
  EXPECT_EQ(utf8_length("\xe6\x97\xa5\xe6\x9c\xac"), 2u);  // 日本
  EXPECT_EQ(utf8_length("\xf0\x9f\x98\x80"), 1u);          // U+1F600, 4 bytes
  EXPECT_EQ(utf8_length("a\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80z"), 5u);
}

TEST(ProductFields, AbsentFieldsAreNotChecked) {
  ProductFields fields;
  std::vector<FieldError> errors;
  normalize_product_fields(fields, errors);
  EXPECT_TRUE(errors.empty());
  EXPECT_FALSE(fields.name);
  EXPECT_FALSE(fields.description);
  EXPECT_FALSE(fields.currency);
}

TEST(ProductFields, TrimsTheName) {
  ProductFields fields;
  fields.name = "  \tRed shoe \r\n ";
  std::vector<FieldError> errors;
  normalize_product_fields(fields, errors);
  EXPECT_TRUE(errors.empty());
  EXPECT_EQ(fields.name, "Red shoe");
}

TEST(ProductFields, NameIs1To200Characters) {
  EXPECT_EQ(fields_of(product_errors(product_name(""))), Fields{"name"});
  EXPECT_EQ(fields_of(product_errors(product_name("   \t "))), Fields{"name"});
  EXPECT_TRUE(product_errors(product_name("x")).empty());
  EXPECT_TRUE(product_errors(product_name(std::string(200, 'a'))).empty());
  EXPECT_EQ(fields_of(product_errors(product_name(std::string(201, 'a')))), Fields{"name"});
  // Trimmed before being measured.
  EXPECT_TRUE(product_errors(product_name("  " + std::string(200, 'a') + "  ")).empty());
}

TEST(ProductFields, NameLengthIsInCharactersForMultibyteText) {
  for (std::string_view ch : {"\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80"}) {
    EXPECT_TRUE(product_errors(product_name(repeat(ch, 200))).empty()) << ch;
    EXPECT_EQ(fields_of(product_errors(product_name(repeat(ch, 201)))), Fields{"name"}) << ch;
  }
}

TEST(ProductFields, NameRefusesControlCharacters) {
  for (std::string name : {std::string("a\nb"), std::string("a\tb"), std::string("a\rb"), std::string("a\x01") + "b",
                           std::string("a\x1f") + "b", std::string("a\x7f") + "b", std::string("a\0b", 3)})
    EXPECT_EQ(fields_of(product_errors(product_name(name))), Fields{"name"}) << name;
  EXPECT_TRUE(product_errors(product_name("Caf\xc3\xa9 cr\xc3\xa8me \xe2\x82\xac 5")).empty());
}

TEST(ProductFields, NameRefusesC1ControlCharacters) {
  // U+0080, U+0085 (next line) and U+009F, in UTF-8.
  for (std::string name : {"a\xc2\x80" "b", "a\xc2\x85" "b", "a\xc2\x9f" "b", "\xc2\x85"})
    EXPECT_EQ(fields_of(product_errors(product_name(name))), Fields{"name"}) << name;
  // Neighbours that are not controls: U+00A0, U+00C2 (Â) followed by ASCII, U+0105 (ą: C4 85).
  for (std::string name : {"a\xc2\xa0" "b", "\xc3\x82x", "\xc4\x85"})
    EXPECT_TRUE(product_errors(product_name(name)).empty()) << name;
}

TEST(ProductFields, DescriptionAllowsLineBreaksAndTabsOnly) {
  EXPECT_TRUE(product_errors(product_description("")).empty());
  EXPECT_TRUE(product_errors(product_description("Line one\nLine two\r\n\tindented")).empty());
  for (std::string description : {std::string("bell\x07"), std::string("esc\x1b[0m"), std::string("del\x7f"),
                                  std::string("nul\0x", 5), std::string("\x0b vertical tab")})
    EXPECT_EQ(fields_of(product_errors(product_description(description))), Fields{"description"});
}

TEST(ProductFields, DescriptionRefusesC1ControlCharacters) {
  EXPECT_EQ(fields_of(product_errors(product_description("line\xc2\x85" "next"))), Fields{"description"});
  EXPECT_TRUE(product_errors(product_description("caf\xc3\xa9\n\xc4\x85")).empty());
}

TEST(ProductFields, DescriptionIsAtMost5000Characters) {
  EXPECT_TRUE(product_errors(product_description(std::string(5000, 'd'))).empty());
  EXPECT_EQ(fields_of(product_errors(product_description(std::string(5001, 'd')))), Fields{"description"});
  EXPECT_TRUE(product_errors(product_description(repeat("\xe2\x82\xac", 5000))).empty());
  EXPECT_EQ(fields_of(product_errors(product_description(repeat("\xe2\x82\xac", 5001)))), Fields{"description"});
}

TEST(ProductFields, CurrencyIsLowerCasedAndMustBeKnown) {
  for (auto [given, stored] : {std::pair{"usd", "usd"}, {"EUR", "eur"}, {"jpy", "jpy"}, {"GbP", "gbp"}}) {
    ProductFields fields;
    fields.currency = given;
    std::vector<FieldError> errors;
    normalize_product_fields(fields, errors);
    EXPECT_TRUE(errors.empty()) << given;
    EXPECT_EQ(fields.currency, stored);
  }
  for (auto bad : {"xyz", "us", "", "usdd", " usd", "u$d"})
    EXPECT_EQ(fields_of(product_errors(product_currency(bad))), Fields{"currency"}) << bad;
}

TEST(ProductFields, EveryBadFieldIsReported) {
  ProductFields fields;
  fields.name = "";
  fields.description = std::string(5001, 'x');
  fields.currency = "xyz";
  fields.price = 5;
  std::vector<FieldError> errors;
  normalize_product_fields(fields, errors);
  EXPECT_EQ(fields_of(errors), (Fields{"name", "description", "currency"}));
  for (const auto& e : errors) EXPECT_FALSE(e.message.empty()) << e.field;
}

TEST(ProductFields, ErrorsAreAppended) {
  std::vector<FieldError> errors{{"price", "earlier"}};
  ProductFields fields;
  fields.currency = "zz";
  normalize_product_fields(fields, errors);
  EXPECT_EQ(fields_of(errors), (Fields{"price", "currency"}));
}

TEST(CategoryFields, TrimsAndChecksTheName) {
  CategoryFields fields;
  fields.name = "  Shoes\t";
  std::vector<FieldError> errors;
  normalize_category_fields(fields, errors);
  EXPECT_TRUE(errors.empty());
  EXPECT_EQ(fields.name, "Shoes");

  EXPECT_EQ(fields_of(category_errors(category("  "))), Fields{"name"});
  EXPECT_EQ(fields_of(category_errors(category("Sho\x01" "es"))), Fields{"name"});
  EXPECT_TRUE(category_errors(category(repeat("\xc3\xa9", 200))).empty());
  EXPECT_EQ(fields_of(category_errors(category(repeat("\xc3\xa9", 201)))), Fields{"name"});
}

TEST(CategoryFields, DescriptionIsAtMost2000Characters) {
  EXPECT_TRUE(category_errors(category(std::nullopt, std::string(2000, 'd'))).empty());
  EXPECT_EQ(fields_of(category_errors(category(std::nullopt, std::string(2001, 'd')))), Fields{"description"});
  EXPECT_TRUE(category_errors(category(std::nullopt, repeat("\xf0\x9f\x98\x80", 2000))).empty());
  EXPECT_EQ(fields_of(category_errors(category(std::nullopt, repeat("\xf0\x9f\x98\x80", 2001)))), Fields{"description"});
  EXPECT_TRUE(category_errors(category(std::nullopt, "a\n\tb\r\n")).empty());
  EXPECT_EQ(fields_of(category_errors(category(std::nullopt, "a\x02"))), Fields{"description"});
}

TEST(CategoryFields, BothBadFieldsAreReported) {
  EXPECT_EQ(fields_of(category_errors(category(std::string(201, 'n'), std::string(2001, 'd')))),
            (Fields{"name", "description"}));
}

TEST(SearchTerms, SplitsOnSpacesAndPunctuationAndLowerCases) {
  EXPECT_EQ(search_terms("Red Shoes"), (Fields{"red", "shoes"}));
  EXPECT_EQ(search_terms("  red,shoes!  size-42 "), (Fields{"red", "shoes", "size", "42"}));
  EXPECT_EQ(search_terms("\"quoted\" (paren) x.y_z"), (Fields{"quoted", "paren", "x", "y", "z"}));
  EXPECT_EQ(search_terms("ABC123xyz"), (Fields{"abc123xyz"}));
}

TEST(SearchTerms, KeepsNonAsciiWords) {
  EXPECT_EQ(search_terms("Caf\xc3\xa9 cr\xc3\xa8me"), (Fields{"caf\xc3\xa9", "cr\xc3\xa8me"}));
  EXPECT_EQ(search_terms("\xe6\x97\xa5\xe6\x9c\xac"), (Fields{"\xe6\x97\xa5\xe6\x9c\xac"}));
}

TEST(SearchTerms, LeavesOutEnglishStopWords) {
  EXPECT_EQ(search_terms("The red AND the blue"), (Fields{"red", "blue"}));
  EXPECT_EQ(search_terms("shoes for a man"), (Fields{"shoes", "man"}));
  EXPECT_EQ(search_terms("don't"), Fields{});  // "don" and "t" are both stop words
  EXPECT_TRUE(search_terms("the of and to").empty());
  // Only whole words are stop words.
  EXPECT_EQ(search_terms("theme android"), (Fields{"theme", "android"}));
}

TEST(SearchTerms, StopWordsDoNotCountTowardsTheLimit) {
  std::string query = "the a an of ";
  for (int i = 1; i <= 16; ++i) query += "w" + std::to_string(i) + " the ";
  auto terms = search_terms(query);
  ASSERT_EQ(terms.size(), 16u);
  EXPECT_EQ(terms.back(), "w16");
}

TEST(SearchTerms, NoWordCharactersGiveNoTerms) {
  EXPECT_TRUE(search_terms("!!!").empty());
  EXPECT_TRUE(search_terms("").empty());
  EXPECT_TRUE(search_terms(" \t-*\"' ").empty());
}

TEST(SearchTerms, KeepsAtMost16Terms) {
  std::string query;
  for (int i = 1; i <= 20; ++i) query += "w" + std::to_string(i) + " ";
  auto terms = search_terms(query);
  ASSERT_EQ(terms.size(), 16u);
  EXPECT_EQ(terms.front(), "w1");
  EXPECT_EQ(terms.back(), "w16");
}

TEST(Currency, KnownCodesAreLowerCase) {
  EXPECT_TRUE(is_known_currency("usd"));
  EXPECT_TRUE(is_known_currency("eur"));
  EXPECT_TRUE(is_known_currency("gbp"));
  EXPECT_TRUE(is_known_currency("jpy"));
  EXPECT_TRUE(is_known_currency("chf"));
  EXPECT_FALSE(is_known_currency("USD"));
  EXPECT_FALSE(is_known_currency("xyz"));
  EXPECT_FALSE(is_known_currency("us"));
  EXPECT_FALSE(is_known_currency(""));
}

TEST(Currency, CodeListIsSortedLowerCaseAndComplete) {
  auto codes = known_currency_codes();
  EXPECT_GT(codes.size(), 150u);
  EXPECT_TRUE(std::is_sorted(codes.begin(), codes.end()));
  EXPECT_EQ(std::adjacent_find(codes.begin(), codes.end()), codes.end());
  for (auto code : codes) {
    ASSERT_EQ(code.size(), 3u) << code;
    for (char c : code) EXPECT_TRUE(c >= 'a' && c <= 'z') << code;
  }
  for (std::string_view wanted : {"usd", "eur", "gbp", "jpy"})
    EXPECT_NE(std::find(codes.begin(), codes.end(), wanted), codes.end()) << wanted;
}

TEST(CheckCategoryFields, NameIsRequiredOnlyWhenCreating) {
  std::vector<FieldError> errors;
  CategoryFields empty;
  check_category_fields(empty, true, errors);
  EXPECT_EQ(fields_of(errors), Fields{"name"});

  errors.clear();
  CategoryFields update;
  check_category_fields(update, false, errors);
  EXPECT_TRUE(errors.empty());

  errors.clear();
  auto fields = category("  Lamps ", "d");
  check_category_fields(fields, true, errors);
  EXPECT_TRUE(errors.empty());
  EXPECT_EQ(fields.name, "Lamps");
}

TEST(CheckProductFields, CreateRequiresTheCoreFields) {
  Principal vendor{"u1", "vendor", "s1", true};
  ProductFields fields;
  std::vector<FieldError> errors;
  check_product_fields(vendor, fields, true, errors);
  EXPECT_EQ(fields_of(errors), (Fields{"name", "price", "stock_quantity", "category_id"}));

  errors.clear();
  check_product_fields(vendor, fields, false, errors);
  EXPECT_TRUE(errors.empty());
}

TEST(CheckProductFields, VendorIdIsForAdminsAndRequiredOfThem) {
  Principal vendor{"u1", "vendor", "s1", true};
  Principal admin{"u2", "admin", "s2", true};
  ProductFields complete;
  complete.name = "Lamp";
  complete.price = 100;
  complete.stock_quantity = 1;
  complete.category_id = "0190a0b0-0000-7000-8000-00000000000c";

  std::vector<FieldError> errors;
  auto fields = complete;
  check_product_fields(vendor, fields, true, errors);
  EXPECT_TRUE(errors.empty());

  fields.vendor_id = "0190a0b0-0000-7000-8000-00000000000e";
  check_product_fields(vendor, fields, true, errors);
  EXPECT_EQ(fields_of(errors), Fields{"vendor_id"});
  errors.clear();
  check_product_fields(vendor, fields, false, errors);
  EXPECT_EQ(fields_of(errors), Fields{"vendor_id"});

  errors.clear();
  fields = complete;
  check_product_fields(admin, fields, true, errors);
  EXPECT_EQ(fields_of(errors), Fields{"vendor_id"});
  errors.clear();
  check_product_fields(admin, fields, false, errors);
  EXPECT_TRUE(errors.empty());
  fields.vendor_id = "0190a0b0-0000-7000-8000-00000000000e";
  check_product_fields(admin, fields, true, errors);
  EXPECT_TRUE(errors.empty());
}

TEST(CheckProductFields, RuleErrorsFollowRequiredErrors) {
  Principal vendor{"u1", "vendor", "s1", true};
  ProductFields fields;
  fields.name = " ";
  fields.currency = "XYZ";
  std::vector<FieldError> errors;
  check_product_fields(vendor, fields, true, errors);
  EXPECT_EQ(fields_of(errors), (Fields{"price", "stock_quantity", "category_id", "name", "currency"}));
}
