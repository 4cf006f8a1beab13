#include <gtest/gtest.h>

#include <regex>

#include "db/catalog/product_list_sql.hpp"

using namespace mercato;
using namespace mercato::db;
using domain::ProductCursor;
using domain::ProductQuery;
using domain::ProductSort;

namespace {

constexpr Dialect dialects[] = {Dialect::sqlite, Dialect::postgres};

const char* name_of(Dialect d) { return d == Dialect::sqlite ? "sqlite" : "postgres"; }

bool contains(const std::string& sql, std::string_view part) { return sql.find(part) != std::string::npos; }

// The highest $n placeholder the statement uses.
std::size_t highest_placeholder(const std::string& sql) {
  std::size_t highest = 0;
  std::regex placeholder(R"(\$(\d+))");
  for (auto it = std::sregex_iterator(sql.begin(), sql.end(), placeholder); it != std::sregex_iterator(); ++it)
    highest = std::max<std::size_t>(highest, std::stoul((*it)[1]));
  return highest;
}

// The placeholder after `prefix`, e.g. "$2" after "p.price >= ".
std::string placeholder_after(const std::string& sql, std::string_view prefix) {
  auto at = sql.find(prefix);
  if (at == std::string::npos) return {};
  std::smatch m;
  std::string rest = sql.substr(at + prefix.size());
  if (!std::regex_search(rest, m, std::regex(R"(^(CAST\()?\$(\d+))"))) return {};
  return "$" + m[2].str();
}

// A bound value as "int:<n>", "text:<s>", "bool:<b>" or "null", for readable comparisons.
std::string show(const Param& p) {
  if (auto i = std::get_if<std::int64_t>(&p)) return "int:" + std::to_string(*i);
  if (auto t = std::get_if<std::string>(&p)) return "text:" + *t;
  if (auto b = std::get_if<bool>(&p)) return std::string("bool:") + (*b ? "true" : "false");
  return "null";
}

// The value bound to a placeholder such as "$2"; "missing" when there is none.
std::string param(const SqlStatement& s, const std::string& placeholder) {
  if (placeholder.size() < 2) return "missing";
  auto index = std::stoul(placeholder.substr(1));
  if (index < 1 || index > s.params.size()) return "missing";
  return show(s.params[index - 1]);
}

ProductQuery with_sort(ProductSort sort) {
  ProductQuery q;
  q.sort = sort;
  return q;
}

}  // namespace

TEST(Fts5MatchExpression, QuotesEveryTerm) {
  EXPECT_EQ(fts5_match_expression({"shoe"}), "\"shoe\"");
  EXPECT_EQ(fts5_match_expression({"red", "shoe", "42"}), "\"red\" \"shoe\" \"42\"");
}

TEST(Fts5MatchExpression, DoublesEmbeddedQuotes) {
  EXPECT_EQ(fts5_match_expression({"a\"b"}), "\"a\"\"b\"");
  EXPECT_EQ(fts5_match_expression({"\""}), "\"\"\"\"");
}

TEST(Fts5MatchExpression, OperatorsAreQuotedAsPlainText) {
  EXPECT_EQ(fts5_match_expression({"or", "NOT", "a*"}), "\"or\" \"NOT\" \"a*\"");
  EXPECT_EQ(fts5_match_expression({"caf\xc3\xa9"}), "\"caf\xc3\xa9\"");
}

TEST(Fts5MatchExpression, NoTermsGiveAnEmptyExpression) { EXPECT_EQ(fts5_match_expression({}), ""); }

TEST(ProductListSql, DefaultQueryBindsOnlyTheLimitPlusOne) {
  for (auto d : dialects) {
    auto s = product_list_sql(d, ProductQuery{});
    ASSERT_EQ(s.params.size(), 1u) << name_of(d);
    EXPECT_EQ(show(s.params[0]), "int:21") << name_of(d);
    EXPECT_EQ(placeholder_after(s.sql, "LIMIT "), "$1") << s.sql;
    EXPECT_EQ(highest_placeholder(s.sql), 1u) << s.sql;
    EXPECT_TRUE(contains(s.sql, "deleted_at IS NULL")) << s.sql;
    EXPECT_FALSE(contains(s.sql, "category_id =")) << s.sql;
    EXPECT_FALSE(contains(s.sql, "vendor_id =")) << s.sql;
    EXPECT_FALSE(contains(s.sql, "p.price >=")) << s.sql;
    EXPECT_FALSE(contains(s.sql, "p.price <=")) << s.sql;
    EXPECT_FALSE(contains(s.sql, "stock_quantity >")) << s.sql;
    EXPECT_FALSE(contains(s.sql, "MATCH")) << s.sql;
    EXPECT_FALSE(contains(s.sql, "tsquery")) << s.sql;
    EXPECT_FALSE(contains(s.sql, "(page.sort_key, page.id)")) << s.sql;
  }
}

TEST(ProductListSql, LimitIsBoundAsLimitPlusOne) {
  for (auto d : dialects)
    for (std::size_t limit : {1u, 50u, 100u}) {
      ProductQuery q;
      q.limit = limit;
      auto s = product_list_sql(d, q);
      ASSERT_FALSE(s.params.empty());
      EXPECT_EQ(show(s.params.back()), "int:" + std::to_string(limit + 1)) << name_of(d) << " " << limit;
    }
}

TEST(ProductListSql, EachFilterAddsItsPredicateAndParameter) {
  for (auto d : dialects) {
    ProductQuery q;
    q.filter.category_id = "0190a0b0-0000-7000-8000-00000000000c";
    auto s = product_list_sql(d, q);
    ASSERT_EQ(s.params.size(), 2u) << name_of(d);
    EXPECT_EQ(param(s, placeholder_after(s.sql, "p.category_id = ")), "text:" + *q.filter.category_id) << s.sql;

    q = {};
    q.filter.vendor_id = "0190a0b0-0000-7000-8000-00000000000e";
    s = product_list_sql(d, q);
    ASSERT_EQ(s.params.size(), 2u) << name_of(d);
    EXPECT_EQ(param(s, placeholder_after(s.sql, "p.vendor_id = ")), "text:" + *q.filter.vendor_id) << s.sql;

    q = {};
    q.filter.min_price = 500;
    s = product_list_sql(d, q);
    ASSERT_EQ(s.params.size(), 2u) << name_of(d);
    EXPECT_EQ(param(s, placeholder_after(s.sql, "p.price >= ")), "int:500") << s.sql;
    EXPECT_FALSE(contains(s.sql, "p.price <=")) << s.sql;

    q = {};
    q.filter.max_price = 0;
    s = product_list_sql(d, q);
    ASSERT_EQ(s.params.size(), 2u) << name_of(d);
    EXPECT_EQ(param(s, placeholder_after(s.sql, "p.price <= ")), "int:0") << s.sql;
    EXPECT_FALSE(contains(s.sql, "p.price >=")) << s.sql;

    q = {};
    q.filter.in_stock_only = true;
    s = product_list_sql(d, q);
    EXPECT_EQ(s.params.size(), 1u) << name_of(d);
    EXPECT_TRUE(contains(s.sql, "p.stock_quantity > 0")) << s.sql;
  }
}

TEST(ProductListSql, AllFiltersCombineWithDistinctPlaceholders) {
  for (auto d : dialects) {
    ProductQuery q;
    q.filter.category_id = "0190a0b0-0000-7000-8000-00000000000c";
    q.filter.vendor_id = "0190a0b0-0000-7000-8000-00000000000e";
    q.filter.min_price = 100;
    q.filter.max_price = 900;
    q.filter.in_stock_only = true;
    q.limit = 10;
    auto s = product_list_sql(d, q);
    ASSERT_EQ(s.params.size(), 5u) << name_of(d);
    EXPECT_EQ(highest_placeholder(s.sql), 5u) << s.sql;
    EXPECT_EQ(param(s, placeholder_after(s.sql, "p.category_id = ")), "text:" + *q.filter.category_id);
    EXPECT_EQ(param(s, placeholder_after(s.sql, "p.vendor_id = ")), "text:" + *q.filter.vendor_id);
    EXPECT_EQ(param(s, placeholder_after(s.sql, "p.price >= ")), "int:100");
    EXPECT_EQ(param(s, placeholder_after(s.sql, "p.price <= ")), "int:900");
    EXPECT_EQ(param(s, placeholder_after(s.sql, "LIMIT ")), "int:11");
    EXPECT_TRUE(contains(s.sql, "p.stock_quantity > 0"));
  }
}

TEST(ProductListSql, OrderPerSort) {
  for (auto d : dialects) {
    EXPECT_TRUE(contains(product_list_sql(d, with_sort(ProductSort::newest)).sql, "page.sort_key DESC, page.id DESC"));
    EXPECT_TRUE(contains(product_list_sql(d, with_sort(ProductSort::newest)).sql, "p.created_at AS sort_key"));
    EXPECT_TRUE(
        contains(product_list_sql(d, with_sort(ProductSort::price_desc)).sql, "page.sort_key DESC, page.id DESC"));
    EXPECT_TRUE(contains(product_list_sql(d, with_sort(ProductSort::price_desc)).sql, "p.price AS sort_key"));
    auto asc = product_list_sql(d, with_sort(ProductSort::price_asc)).sql;
    EXPECT_TRUE(contains(asc, "ORDER BY page.sort_key, page.id LIMIT")) << asc;
    EXPECT_TRUE(contains(asc, "p.price AS sort_key")) << asc;
    EXPECT_FALSE(contains(asc, "DESC")) << asc;
  }
}

TEST(ProductListSql, KeysetDirectionFollowsTheSort) {
  struct Case {
    ProductSort sort;
    std::string key;
    std::string bound_key;
    const char* op;
  };
  const Case cases[] = {
      {ProductSort::newest, "2026-01-02T03:04:05.000000Z", "text:" + std::string("2026-01-02T03:04:05.000000Z"), "<"},
      {ProductSort::price_desc, "1999", "int:1999", "<"},
      {ProductSort::price_asc, "1999", "int:1999", ">"},
      {ProductSort::relevance, "-4500123", "int:-4500123", ">"},
  };
  const std::string id = "0190a0b0-0000-7000-8000-0000000000aa";
  for (auto d : dialects)
    for (const auto& c : cases) {
      ProductQuery q;
      q.sort = c.sort;
      q.after = ProductCursor{c.key, id};
      if (c.sort == ProductSort::relevance) q.filter.search_terms = std::vector<std::string>{"shoe"};
      auto s = product_list_sql(d, q);
      std::string predicate = std::string("(page.sort_key, page.id) ") + c.op + " (";
      EXPECT_TRUE(contains(s.sql, predicate)) << name_of(d) << ": " << s.sql;
      auto key_ph = placeholder_after(s.sql, predicate);
      ASSERT_FALSE(key_ph.empty()) << s.sql;
      EXPECT_EQ(param(s, key_ph), c.bound_key) << s.sql;
      // The id follows the key; the limit is still bound last.
      auto id_ph = "$" + std::to_string(std::stoul(key_ph.substr(1)) + 1);
      EXPECT_EQ(param(s, id_ph), "text:" + id) << s.sql;
      EXPECT_EQ(show(s.params.back()), "int:21");
      EXPECT_EQ(highest_placeholder(s.sql), s.params.size()) << s.sql;
    }
}

TEST(ProductListSql, PostgresCastsTheKeysetParameters) {
  ProductQuery q;
  q.after = ProductCursor{"2026-01-02T03:04:05.000000Z", "0190a0b0-0000-7000-8000-0000000000aa"};
  auto s = product_list_sql(Dialect::postgres, q);
  EXPECT_TRUE(std::regex_search(s.sql, std::regex(R"(CAST\(\$\d+ AS timestamptz\), CAST\(\$\d+ AS uuid\))"))) << s.sql;
  q.sort = ProductSort::price_asc;
  q.after->key = "10";
  s = product_list_sql(Dialect::postgres, q);
  EXPECT_TRUE(std::regex_search(s.sql, std::regex(R"(CAST\(\$\d+ AS bigint\), CAST\(\$\d+ AS uuid\))"))) << s.sql;
  auto lite = product_list_sql(Dialect::sqlite, q);
  EXPECT_FALSE(contains(lite.sql, "CAST($")) << lite.sql;
}

TEST(ProductListSql, SqliteSearchUsesFts5Match) {
  ProductQuery q;
  q.sort = ProductSort::relevance;
  q.filter.search_terms = std::vector<std::string>{"red", "sh\"oe"};
  auto s = product_list_sql(Dialect::sqlite, q);
  EXPECT_TRUE(contains(s.sql, "products_fts MATCH $")) << s.sql;
  EXPECT_TRUE(contains(s.sql, "bm25(")) << s.sql;
  EXPECT_TRUE(contains(s.sql, "deleted_at IS NULL")) << s.sql;
  EXPECT_FALSE(contains(s.sql, "tsquery")) << s.sql;
  EXPECT_FALSE(contains(s.sql, "red")) << "terms are bound, never spliced: " << s.sql;
  ASSERT_EQ(s.params.size(), 2u);
  EXPECT_EQ(param(s, placeholder_after(s.sql, "products_fts MATCH ")), "text:" + std::string("\"red\" \"sh\"\"oe\""));
  EXPECT_EQ(show(s.params.back()), "int:21");
  EXPECT_TRUE(contains(s.sql, "ORDER BY page.sort_key, page.id LIMIT")) << s.sql;
}

TEST(ProductListSql, PostgresSearchUsesPlainToTsquery) {
  ProductQuery q;
  q.sort = ProductSort::relevance;
  q.filter.search_terms = std::vector<std::string>{"red", "shoes"};
  auto s = product_list_sql(Dialect::postgres, q);
  EXPECT_TRUE(contains(s.sql, "plainto_tsquery('english', $")) << s.sql;
  EXPECT_TRUE(contains(s.sql, "@@")) << s.sql;
  EXPECT_TRUE(contains(s.sql, "ts_rank(")) << s.sql;
  EXPECT_FALSE(contains(s.sql, "MATCH")) << s.sql;
  EXPECT_FALSE(contains(s.sql, "shoes")) << s.sql;
  ASSERT_EQ(s.params.size(), 2u);
  EXPECT_EQ(param(s, placeholder_after(s.sql, "plainto_tsquery('english', ")), "text:" + std::string("red shoes"));
}

TEST(ProductListSql, SearchCombinesWithFiltersAndOtherSorts) {
  for (auto d : dialects) {
    ProductQuery q;
    q.sort = ProductSort::price_asc;
    q.filter.search_terms = std::vector<std::string>{"lamp"};
    q.filter.category_id = "0190a0b0-0000-7000-8000-00000000000c";
    q.filter.max_price = 5000;
    q.after = ProductCursor{"250", "0190a0b0-0000-7000-8000-0000000000aa"};
    auto s = product_list_sql(d, q);
    ASSERT_EQ(s.params.size(), 6u) << name_of(d);
    EXPECT_EQ(highest_placeholder(s.sql), 6u) << s.sql;
    EXPECT_EQ(param(s, placeholder_after(s.sql, "p.category_id = ")), "text:" + *q.filter.category_id);
    EXPECT_EQ(param(s, placeholder_after(s.sql, "p.price <= ")), "int:5000");
    EXPECT_TRUE(contains(s.sql, "p.price AS sort_key")) << s.sql;
    EXPECT_TRUE(contains(s.sql, "(page.sort_key, page.id) > (")) << s.sql;
    EXPECT_TRUE(contains(s.sql, d == Dialect::sqlite ? "MATCH" : "plainto_tsquery")) << s.sql;
  }
}
