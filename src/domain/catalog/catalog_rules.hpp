#pragma once
// Input rules for the catalog: text lengths in characters, no control characters in names,
// known currencies, and the words of a search.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/principal.hpp"
#include "domain/catalog/category.hpp"
#include "domain/catalog/product.hpp"

namespace mercato::domain {

inline constexpr std::int64_t max_price = 1'000'000'000'000;  // minor units; the schema says the same
inline constexpr std::int64_t max_stock_quantity = 1'000'000'000;
inline constexpr std::size_t max_search_length = 200;  // characters of `q`
inline constexpr std::string_view default_currency = "usd";

// Code points of valid UTF-8 (JSON strings are).
std::size_t utf8_length(std::string_view text);

// Trims names and lower-cases the currency in place; appends a FieldError for every field
// that breaks its rule. Absent fields are not checked.
void normalize_category_fields(CategoryFields& fields, std::vector<FieldError>& errors);
void normalize_product_fields(ProductFields& fields, std::vector<FieldError>& errors);

// Every rule a create (`creating`) or an update can break without looking anything up:
// required fields, who may set vendor_id, and the normalize_* rules above. Handlers run it
// too, so that one answer names type errors and rule errors together.
void check_category_fields(CategoryFields& fields, bool creating, std::vector<FieldError>& errors);
void check_product_fields(const Principal& actor, ProductFields& fields, bool creating,
                          std::vector<FieldError>& errors);

// The words of a search query, lower-cased: runs of letters and digits (any non-ASCII
// character counts as a letter), without English stop words, at most 16 of them.
std::vector<std::string> search_terms(std::string_view query);

}  // namespace mercato::domain
