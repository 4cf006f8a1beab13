#include "api/product_list_params.hpp"

#include <charconv>

#include "api/pagination.hpp"
#include "core/error.hpp"
#include "core/time_format.hpp"
#include "domain/catalog/catalog_rules.hpp"
#include "security/digest.hpp"
#include "security/uuid.hpp"

namespace mercato::api {

namespace {

using domain::ProductSort;

std::optional<std::int64_t> parse_integer(std::string_view text) {
  std::int64_t value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || ptr != text.data() + text.size()) return std::nullopt;
  return value;
}

class QueryReader {
 public:
  explicit QueryReader(const http::Request& request) : request_(request) {}

  std::optional<std::string> uuid(std::string_view name) {
    auto text = request_.query_param(name);
    if (!text) return std::nullopt;
    auto id = security::canonical_uuid(*text);
    if (!id) errors_.push_back({std::string(name), "Must be a UUID."});
    return id;
  }

  std::optional<std::int64_t> price(std::string_view name) {
    auto text = request_.query_param(name);
    if (!text) return std::nullopt;
    auto value = parse_integer(*text);
    if (!value || *value < 0) {
      errors_.push_back({std::string(name), "Must be an integer of at least 0."});
      return std::nullopt;
    }
    return value;
  }

  bool in_stock() {
    auto text = request_.query_param("in_stock");
    if (!text || *text == "false") return false;
    if (*text != "true") errors_.push_back({"in_stock", "Must be true or false."});
    return *text == "true";
  }

  std::optional<std::vector<std::string>> search() {
    auto text = request_.query_param("q");
    if (!text || text->find_first_not_of(" \t") == std::string_view::npos) return std::nullopt;
    if (domain::utf8_length(*text) > domain::max_search_length) {
      errors_.push_back({"q", "Must be at most " + std::to_string(domain::max_search_length) + " characters long."});
      return std::nullopt;
    }
    return domain::search_terms(*text);
  }

  ProductSort sort(bool searching) {
    auto text = request_.query_param("sort");
    if (!text) return searching ? ProductSort::relevance : ProductSort::newest;
    if (*text == "newest") return ProductSort::newest;
    if (*text == "price_asc") return ProductSort::price_asc;
    if (*text == "price_desc") return ProductSort::price_desc;
    errors_.push_back({"sort", "Must be newest, price_asc or price_desc."});
    return ProductSort::newest;
  }

  void require(bool condition, std::string field, std::string message) {
    if (!condition) errors_.push_back({std::move(field), std::move(message)});
  }

  void finish() const {
    if (!errors_.empty()) throw Error::validation(errors_);
  }

 private:
  const http::Request& request_;
  std::vector<FieldError> errors_;
};

std::string_view sort_name(ProductSort sort) {
  switch (sort) {
    case ProductSort::newest: return "newest";
    case ProductSort::price_asc: return "price_asc";
    case ProductSort::price_desc: return "price_desc";
    case ProductSort::relevance: return "relevance";
  }
  return {};
}

// A digest of the sort and filters: a cursor only continues the listing it came from.
std::string query_fingerprint(const domain::ProductQuery& query) {
  const auto& f = query.filter;
  std::string text = std::string(sort_name(query.sort)) + '\n' + f.category_id.value_or("") + '\n' +
                     f.vendor_id.value_or("") + '\n' + (f.min_price ? std::to_string(*f.min_price) : "") + '\n' +
                     (f.max_price ? std::to_string(*f.max_price) : "") + '\n' + (f.in_stock_only ? "1" : "0") + '\n';
  if (f.search_terms)
    for (const auto& term : *f.search_terms) text += term + ' ';
  return security::sha256_hex(text).substr(0, 16);
}

bool valid_sort_key(ProductSort sort, const std::string& key) {
  if (sort == ProductSort::newest) return parse_rfc3339(key).has_value();
  return parse_integer(key).has_value();
}

std::optional<domain::ProductCursor> cursor_of(const http::Request& request, const domain::ProductQuery& query) {
  auto parts = decode_cursor(request, 3);
  if (!parts) return std::nullopt;
  auto id = security::canonical_uuid((*parts)[2]);
  if ((*parts)[0] != query_fingerprint(query) || !valid_sort_key(query.sort, (*parts)[1]) || !id)
    throw Error::invalid("invalid_cursor", "The cursor does not belong to this listing; start from the first page.");
  return domain::ProductCursor{(*parts)[1], *id};
}

}  // namespace

domain::ProductQuery product_query(const http::Request& request) {
  domain::ProductQuery query;
  query.limit = page_limit(request);
  QueryReader reader(request);
  auto& f = query.filter;
  f.category_id = reader.uuid("category_id");
  f.vendor_id = reader.uuid("vendor_id");
  f.min_price = reader.price("min_price");
  f.max_price = reader.price("max_price");
  reader.require(!f.min_price || !f.max_price || *f.min_price <= *f.max_price, "min_price",
                 "Must not be greater than max_price.");
  f.in_stock_only = reader.in_stock();
  f.search_terms = reader.search();
  query.sort = reader.sort(f.search_terms.has_value());
  reader.finish();
  query.after = cursor_of(request, query);
  return query;
}

std::string product_cursor(const domain::ProductQuery& query, const domain::ProductCursor& position) {
  return encode_cursor({query_fingerprint(query), position.key, position.id});
}

}  // namespace mercato::api
