#include <gtest/gtest.h>

#include <cctype>
#include <functional>

#include "api/product_list_params.hpp"
#include "core/error.hpp"
#include "security/base64.hpp"

using namespace mercato;
using domain::ProductCursor;
using domain::ProductQuery;
using domain::ProductSort;

namespace {

using Pairs = std::vector<std::pair<std::string, std::string>>;

constexpr const char* category = "0190a0b0-0000-7000-8000-00000000000c";
constexpr const char* vendor = "0190a0b0-0000-7000-8000-00000000000e";
constexpr const char* product_id = "0190a0b0-0000-7000-8000-0000000000aa";

http::Request request_with(Pairs query) {
  http::Request request;
  request.method = http::Method::get;
  request.path = "/api/products";
  request.query = std::move(query);
  return request;
}

ProductQuery parse(Pairs query) { return api::product_query(request_with(std::move(query))); }

// The error product_query throws for `query`, or a failure when it throws none.
std::optional<Error> error_of(Pairs query) {
  try {
    api::product_query(request_with(std::move(query)));
  } catch (const Error& e) {
    return e;
  }
  return std::nullopt;
}

std::vector<std::string> fields_of(const Error& e) {
  std::vector<std::string> fields;
  for (const auto& f : e.field_errors()) fields.push_back(f.field);
  return fields;
}

// Asserts that `query` is refused as a validation error naming exactly `fields`.
void expect_validation(Pairs query, std::vector<std::string> fields) {
  std::string shown;
  for (const auto& [k, v] : query) shown += k + "=" + v + "&";
  auto error = error_of(std::move(query));
  ASSERT_TRUE(error) << "accepted: " << shown;
  EXPECT_EQ(error->kind(), ErrorKind::invalid) << shown;
  EXPECT_EQ(error->code(), "validation_failed") << shown;
  EXPECT_EQ(fields_of(*error), fields) << shown;
}

void expect_invalid_cursor(Pairs query) {
  std::string shown;
  for (const auto& [k, v] : query) shown += k + "=" + v + "&";
  auto error = error_of(std::move(query));
  ASSERT_TRUE(error) << "accepted: " << shown;
  EXPECT_EQ(error->kind(), ErrorKind::invalid) << shown;
  EXPECT_EQ(error->code(), "invalid_cursor") << shown;
}

std::string cursor_text(const std::string& joined) {
  return security::base64url_encode({reinterpret_cast<const std::uint8_t*>(joined.data()), joined.size()});
}

}  // namespace

TEST(ProductQuery, DefaultsToNewestTwentyWithoutFilters) {
  auto q = parse({});
  EXPECT_EQ(q.sort, ProductSort::newest);
  EXPECT_EQ(q.limit, 20u);
  EXPECT_FALSE(q.after);
  EXPECT_FALSE(q.filter.category_id);
  EXPECT_FALSE(q.filter.vendor_id);
  EXPECT_FALSE(q.filter.min_price);
  EXPECT_FALSE(q.filter.max_price);
  EXPECT_FALSE(q.filter.in_stock_only);
  EXPECT_FALSE(q.filter.search_terms);
}

TEST(ProductQuery, ParsesEveryParameter) {
  auto q = parse({{"limit", "7"},
                  {"category_id", category},
                  {"vendor_id", vendor},
                  {"min_price", "100"},
                  {"max_price", "2500"},
                  {"in_stock", "true"},
                  {"q", "Red  Shoes"},
                  {"sort", "price_desc"}});
  EXPECT_EQ(q.limit, 7u);
  EXPECT_EQ(q.filter.category_id, category);
  EXPECT_EQ(q.filter.vendor_id, vendor);
  EXPECT_EQ(q.filter.min_price, 100);
  EXPECT_EQ(q.filter.max_price, 2500);
  EXPECT_TRUE(q.filter.in_stock_only);
  ASSERT_TRUE(q.filter.search_terms);
  EXPECT_EQ(*q.filter.search_terms, (std::vector<std::string>{"red", "shoes"}));
  EXPECT_EQ(q.sort, ProductSort::price_desc);
  EXPECT_FALSE(q.after);
}

TEST(ProductQuery, LimitBounds) {
  EXPECT_EQ(parse({{"limit", "1"}}).limit, 1u);
  EXPECT_EQ(parse({{"limit", "100"}}).limit, 100u);
  for (auto bad : {"0", "101", "-1", "abc", "", "5x", "1.5", " 5"}) expect_validation({{"limit", bad}}, {"limit"});
}

TEST(ProductQuery, UuidsAreCanonicalisedAndChecked) {
  auto q = parse({{"category_id", "0190A0B0-0000-7000-8000-00000000000C"}});
  EXPECT_EQ(q.filter.category_id, category);
  for (auto bad : {"", "42", "not-a-uuid", "0190a0b0-0000-7000-8000-00000000000"}) {
    expect_validation({{"category_id", bad}}, {"category_id"});
    expect_validation({{"vendor_id", bad}}, {"vendor_id"});
  }
}

TEST(ProductQuery, PricesAreNonNegativeIntegers) {
  EXPECT_EQ(parse({{"min_price", "0"}}).filter.min_price, 0);
  EXPECT_EQ(parse({{"max_price", "0"}}).filter.max_price, 0);
  EXPECT_EQ(parse({{"min_price", "5"}, {"max_price", "5"}}).filter.max_price, 5);
  for (auto bad : {"-1", "1.5", "abc", "", "12abc", "1e3", "+5", " 5"}) {
    expect_validation({{"min_price", bad}}, {"min_price"});
    expect_validation({{"max_price", bad}}, {"max_price"});
  }
}

// The contract (catalog_spec.md, openapi.yaml: `minimum: 0`, no maximum) asks only for
// integers >= 0; a bound above the largest storable price is a valid, if empty, filter.
TEST(ProductQuery, PriceFiltersHaveNoUpperBound) {
  EXPECT_EQ(parse({{"max_price", "1000000000000"}}).filter.max_price, 1'000'000'000'000);
  for (Pairs query : {Pairs{{"max_price", "1000000000001"}}, Pairs{{"min_price", "5000000000000"}}}) {
    auto error = error_of(query);
    EXPECT_FALSE(error) << query[0].first << "=" << query[0].second << " refused: "
                        << (error && !error->field_errors().empty() ? error->field_errors()[0].message : "");
  }
  EXPECT_FALSE(error_of({{"min_price", "1"}, {"max_price", "5000000000000"}}));
}

TEST(ProductQuery, MinAboveMaxIsRefused) {
  auto error = error_of({{"min_price", "10"}, {"max_price", "9"}});
  ASSERT_TRUE(error);
  EXPECT_EQ(error->code(), "validation_failed");
  EXPECT_EQ(fields_of(*error), std::vector<std::string>{"min_price"});
}

TEST(ProductQuery, InStockIsTrueOrFalse) {
  EXPECT_TRUE(parse({{"in_stock", "true"}}).filter.in_stock_only);
  EXPECT_FALSE(parse({{"in_stock", "false"}}).filter.in_stock_only);
  for (auto bad : {"1", "yes", "TRUE", ""}) expect_validation({{"in_stock", bad}}, {"in_stock"});
}

TEST(ProductQuery, SortValues) {
  EXPECT_EQ(parse({{"sort", "newest"}}).sort, ProductSort::newest);
  EXPECT_EQ(parse({{"sort", "price_asc"}}).sort, ProductSort::price_asc);
  EXPECT_EQ(parse({{"sort", "price_desc"}}).sort, ProductSort::price_desc);
  for (auto bad : {"relevance", "oldest", "", "NEWEST", "price"}) expect_validation({{"sort", bad}}, {"sort"});
}

TEST(ProductQuery, SearchDefaultsToRelevance) {
  auto q = parse({{"q", "lamp"}});
  EXPECT_EQ(q.sort, ProductSort::relevance);
  ASSERT_TRUE(q.filter.search_terms);
  EXPECT_EQ(*q.filter.search_terms, std::vector<std::string>{"lamp"});
  EXPECT_EQ(parse({{"q", "lamp"}, {"sort", "price_asc"}}).sort, ProductSort::price_asc);
  EXPECT_EQ(parse({{"q", "lamp"}, {"sort", "newest"}}).sort, ProductSort::newest);
}

TEST(ProductQuery, BlankSearchIsNoSearch) {
  for (auto blank : {"", " ", "   \t "}) {
    auto q = parse({{"q", blank}});
    EXPECT_FALSE(q.filter.search_terms) << "[" << blank << "]";
    EXPECT_EQ(q.sort, ProductSort::newest);
  }
}

TEST(ProductQuery, SearchWithoutWordsSearchesForNothing) {
  auto q = parse({{"q", "!!!"}});
  ASSERT_TRUE(q.filter.search_terms);
  EXPECT_TRUE(q.filter.search_terms->empty());
}

TEST(ProductQuery, SearchIsAtMost200Characters) {
  EXPECT_TRUE(parse({{"q", std::string(200, 'a')}}).filter.search_terms);
  std::string euros;
  for (int i = 0; i < 200; ++i) euros += "\xe2\x82\xac";
  EXPECT_TRUE(parse({{"q", euros}}).filter.search_terms);
  expect_validation({{"q", std::string(201, 'a')}}, {"q"});
  expect_validation({{"q", euros + "\xe2\x82\xac"}}, {"q"});
}

TEST(ProductQuery, SeveralBadParametersAreReportedTogether) {
  expect_validation({{"category_id", "x"}, {"min_price", "-1"}, {"in_stock", "maybe"}, {"sort", "up"}},
                    {"category_id", "min_price", "in_stock", "sort"});
}

TEST(ProductQuery, UnknownParametersAreIgnored) {
  auto q = parse({{"colour", "red"}, {"page", "2"}});
  EXPECT_EQ(q.sort, ProductSort::newest);
  EXPECT_EQ(q.limit, 20u);
  EXPECT_FALSE(q.after);
}

TEST(ProductCursor, RoundTripsForEachSort) {
  struct Case {
    Pairs query;
    std::string key;
  };
  const Case cases[] = {
      {{}, "2026-01-02T03:04:05.123456Z"},
      {{{"sort", "newest"}}, "2026-01-02T03:04:05.123456Z"},
      {{{"sort", "price_asc"}}, "1999"},
      {{{"sort", "price_desc"}}, "0"},
      {{{"q", "red shoe"}}, "-4500123"},
      {{{"q", "red shoe"}, {"sort", "price_asc"}, {"category_id", category}, {"vendor_id", vendor},
        {"min_price", "1"}, {"max_price", "99"}, {"in_stock", "true"}},
       "50"},
  };
  for (const auto& c : cases) {
    auto first = parse(c.query);
    auto cursor = api::product_cursor(first, ProductCursor{c.key, product_id});
    EXPECT_FALSE(cursor.empty());
    auto with_cursor = c.query;
    with_cursor.emplace_back("cursor", cursor);
    auto next = parse(with_cursor);
    ASSERT_TRUE(next.after) << c.key;
    EXPECT_EQ(next.after->key, c.key);
    EXPECT_EQ(next.after->id, product_id);
    EXPECT_EQ(next.sort, first.sort);
  }
}

TEST(ProductCursor, IsUrlSafe) {
  auto cursor = api::product_cursor(parse({{"q", "caf\xc3\xa9 \xe2\x82\xac"}}), ProductCursor{"-1", product_id});
  for (char c : cursor)
    EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') << cursor;
}

TEST(ProductCursor, LimitMayChangeBetweenPages) {
  auto cursor = api::product_cursor(parse({{"limit", "5"}}), ProductCursor{"2026-01-02T03:04:05.000000Z", product_id});
  auto next = parse({{"limit", "50"}, {"cursor", cursor}});
  ASSERT_TRUE(next.after);
  EXPECT_EQ(next.limit, 50u);
}

TEST(ProductCursor, UuidParameterCaseDoesNotChangeTheListing) {
  auto cursor = api::product_cursor(parse({{"category_id", category}}), ProductCursor{"2026-01-02T03:04:05Z", product_id});
  auto next = parse({{"category_id", "0190A0B0-0000-7000-8000-00000000000C"}, {"cursor", cursor}});
  ASSERT_TRUE(next.after);
}

TEST(ProductCursor, RefusedForAnotherSort) {
  auto cursor = api::product_cursor(parse({{"sort", "price_asc"}}), ProductCursor{"1999", product_id});
  expect_invalid_cursor({{"sort", "price_desc"}, {"cursor", cursor}});
  expect_invalid_cursor({{"cursor", cursor}});  // newest
  expect_invalid_cursor({{"q", "lamp"}, {"cursor", cursor}});
  // Relevance (q without sort) is a sort of its own.
  auto relevance = api::product_cursor(parse({{"q", "lamp"}}), ProductCursor{"1999", product_id});
  expect_invalid_cursor({{"q", "lamp"}, {"sort", "price_asc"}, {"cursor", relevance}});
}

TEST(ProductCursor, RefusedForOtherFilters) {
  Pairs base{{"sort", "price_asc"}, {"category_id", category}, {"min_price", "10"}, {"q", "lamp"}};
  auto cursor = api::product_cursor(parse(base), ProductCursor{"15", product_id});
  auto with = [&](std::function<void(Pairs&)> change) {
    Pairs query = base;
    change(query);
    query.emplace_back("cursor", cursor);
    return query;
  };
  // Sanity: the unchanged listing accepts it.
  EXPECT_TRUE(parse(with([](Pairs&) {})).after);
  expect_invalid_cursor(with([](Pairs& q) { q.erase(q.begin() + 1); }));                  // no category
  expect_invalid_cursor(with([](Pairs& q) { q[1].second = vendor; }));                    // another category
  expect_invalid_cursor(with([](Pairs& q) { q.emplace_back("vendor_id", vendor); }));     // vendor added
  expect_invalid_cursor(with([](Pairs& q) { q[2].second = "11"; }));                      // other min
  expect_invalid_cursor(with([](Pairs& q) { q[2].first = "max_price"; }));                // min became max
  expect_invalid_cursor(with([](Pairs& q) { q.emplace_back("max_price", "100"); }));      // max added
  expect_invalid_cursor(with([](Pairs& q) { q.emplace_back("in_stock", "true"); }));      // in stock added
  expect_invalid_cursor(with([](Pairs& q) { q[3].second = "lamps"; }));                   // other search
  expect_invalid_cursor(with([](Pairs& q) { q[3].second = "lamp shade"; }));              // extra word
  expect_invalid_cursor(with([](Pairs& q) { q.erase(q.begin() + 3); }));                  // no search
}

TEST(ProductCursor, PriceSortsNeedAnIntegerKey) {
  for (auto sort : {"price_asc", "price_desc"}) {
    auto query = parse({{"sort", sort}});
    for (auto key : {"abc", "12.5", "", "2026-01-02T03:04:05Z", "99999999999999999999", "1 "}) {
      auto cursor = api::product_cursor(query, ProductCursor{key, product_id});
      expect_invalid_cursor({{"sort", sort}, {"cursor", cursor}});
    }
  }
  auto relevance = api::product_cursor(parse({{"q", "lamp"}}), ProductCursor{"high", product_id});
  expect_invalid_cursor({{"q", "lamp"}, {"cursor", relevance}});
}

TEST(ProductCursor, NewestNeedsATimestampKey) {
  auto cursor = api::product_cursor(parse({}), ProductCursor{"1999", product_id});
  expect_invalid_cursor({{"cursor", cursor}});
}

TEST(ProductCursor, IdMustBeAUuid) {
  auto cursor = api::product_cursor(parse({{"sort", "price_asc"}}), ProductCursor{"5", "not-a-uuid"});
  expect_invalid_cursor({{"sort", "price_asc"}, {"cursor", cursor}});
}

TEST(ProductCursor, MalformedCursorsAreRefused) {
  for (auto bad : {"", "!!!", "abc=", "not base64 at all", "YWJj"})  // "YWJj" is "abc": one part
    expect_invalid_cursor({{"cursor", bad}});
  expect_invalid_cursor({{"cursor", cursor_text("a\nb")}});
  expect_invalid_cursor({{"cursor", cursor_text("a\nb\nc\nd")}});
  // Three parts, but not a fingerprint of this listing.
  expect_invalid_cursor({{"cursor", cursor_text("0000000000000000\n2026-01-02T03:04:05Z\n" + std::string(product_id))}});
}
