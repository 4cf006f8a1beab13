#pragma once
// A vendor's product, and how the catalog is queried.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace mercato::domain {

struct Product {
  std::string id;
  std::string name;
  std::string description;
  std::int64_t price = 0;  // minor units of `currency`
  std::string currency;    // lower-case ISO 4217
  std::int64_t stock_quantity = 0;
  std::string category_id;
  std::string vendor_id;
  std::string created_at;
  std::string updated_at;
};

// What a create or an update sets; an absent field is left as it is (or defaulted).
struct ProductFields {
  std::optional<std::string> name;
  std::optional<std::string> description;
  std::optional<std::int64_t> price;
  std::optional<std::string> currency;
  std::optional<std::int64_t> stock_quantity;
  std::optional<std::string> category_id;
  std::optional<std::string> vendor_id;  // admins only
};

enum class ProductSort { newest, price_asc, price_desc, relevance };

struct ProductFilter {
  std::optional<std::string> category_id;
  std::optional<std::string> vendor_id;
  std::optional<std::int64_t> min_price;
  std::optional<std::int64_t> max_price;
  bool in_stock_only = false;
  // Set for a full-text search: every term must match. Empty terms match nothing.
  std::optional<std::vector<std::string>> search_terms;
};

// A position in one sort order: the sort key of the last product seen (created_at, price
// or relevance, as text) and its id, which breaks ties.
struct ProductCursor {
  std::string key;
  std::string id;
};

struct ProductQuery {
  ProductFilter filter;
  ProductSort sort = ProductSort::newest;
  std::size_t limit = 20;
  std::optional<ProductCursor> after;
};

struct ProductPage {
  std::vector<Product> products;
  std::optional<ProductCursor> next;  // set when more products follow
};

}  // namespace mercato::domain
