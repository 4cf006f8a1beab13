// GET /api/products filters and full-text search `q`, alone and combined.

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <set>

#include "integration/catalog/catalog_test_support.hpp"

using namespace mercato;
using namespace mercato::testing::catalog;
using mercato::testing::AppHarness;
using mercato::testing::accounts::accounts_config;

namespace {

// A small catalog made through the API, in this order (so newest first is the reverse).
class CatalogSearchTest : public mercato::testing::BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    app_ = std::make_unique<AppHarness>(database(), accounts_config());
    admin_ = admin_session(*app_).access_token;
    first_ = vendor_session(*app_, "first@example.com");
    second_ = vendor_session(*app_, "second@example.com");
    lamps_ = create_category(*app_, admin_, "Lamps");
    furniture_ = create_category(*app_, admin_, "Furniture");
    brass_ = make(first_, "Brass desk lamp", "Warm light for reading", 4500, 3, lamps_);
    chair_ = make(second_, "Reading chair", "Pairs well with a floor lamp", 12000, 2, furniture_);
    table_ = make(first_, "Oak table", "Solid oak, seats six", 30000, 0, furniture_);
    paper_ = make(second_, "Paper lamps set", "Three small paper shades", 1500, 10, lamps_);
    vase_ = make(first_, "Glass vase", "Blown glass", 2500, 5, furniture_);
  }
  void TearDown() override {
    app_.reset();
    BackendTest::TearDown();
  }

  std::string make(const Session& vendor, std::string_view name, std::string_view description, std::int64_t price,
                   std::int64_t stock, const std::string& category) {
    return create_product_id(*app_, vendor.access_token, product_body(name, price, stock, category, description));
  }

  std::vector<std::string> ids(const std::string& query) { return list_ids(*app_, "/api/products?" + query); }
  std::set<std::string> id_set(const std::string& query) {
    auto list = ids(query);
    EXPECT_EQ(std::set<std::string>(list.begin(), list.end()).size(), list.size()) << query << ": a duplicate";
    return {list.begin(), list.end()};
  }

  std::unique_ptr<AppHarness> app_;
  std::string admin_;
  Session first_, second_;
  std::string lamps_, furniture_;
  std::string brass_, chair_, table_, paper_, vase_;
};

using Ids = std::vector<std::string>;
using IdSet = std::set<std::string>;

}  // namespace

TEST_P(CatalogSearchTest, FiltersCombine) {
  EXPECT_EQ(ids(""), (Ids{vase_, paper_, table_, chair_, brass_}));
  EXPECT_EQ(ids("category_id=" + lamps_), (Ids{paper_, brass_}));
  EXPECT_EQ(ids("vendor_id=" + first_.user_id), (Ids{vase_, table_, brass_}));
  EXPECT_EQ(ids("min_price=2500&max_price=12000"), (Ids{vase_, chair_, brass_})) << "bounds are inclusive";
  EXPECT_EQ(ids("min_price=12000"), (Ids{table_, chair_}));
  EXPECT_EQ(ids("max_price=2499"), (Ids{paper_}));
  EXPECT_EQ(ids("in_stock=true"), (Ids{vase_, paper_, chair_, brass_})) << "stock 0 left out";
  EXPECT_EQ(ids("in_stock=false"), (Ids{vase_, paper_, table_, chair_, brass_})) << "false is no filter";
  EXPECT_EQ(ids("category_id=" + furniture_ + "&in_stock=true"), (Ids{vase_, chair_}));
  EXPECT_EQ(ids("category_id=" + furniture_ + "&vendor_id=" + first_.user_id + "&in_stock=true"), (Ids{vase_}));
  EXPECT_EQ(ids("category_id=" + furniture_ + "&vendor_id=" + first_.user_id + "&max_price=2499"), (Ids{}));
  EXPECT_EQ(ids("category_id=" + UuidSource(21).next()), (Ids{}));
  EXPECT_EQ(ids("category_id=" + lamps_ + "&sort=price_desc"), (Ids{brass_, paper_}));
}

TEST_P(CatalogSearchTest, SearchMatchesWordsOfNameAndDescription) {
  EXPECT_EQ(id_set("q=lamp"), (IdSet{brass_, chair_, paper_})) << "name, description, and 'lamps' by its stem";
  EXPECT_EQ(id_set("q=lamps"), (IdSet{brass_, chair_, paper_})) << "stemming";
  EXPECT_EQ(id_set("q=LaMp"), (IdSet{brass_, chair_, paper_})) << "case-insensitive";
  EXPECT_EQ(id_set("q=shades"), (IdSet{paper_})) << "a description word";
  EXPECT_EQ(id_set("q=oak"), (IdSet{table_}));
  EXPECT_EQ(id_set("q=brass%20lamp"), (IdSet{brass_})) << "every word must match";
  EXPECT_EQ(id_set("q=lamp+paper"), (IdSet{paper_}));
  EXPECT_EQ(id_set("q=brass%20chair"), (IdSet{})) << "no product holds both words";
  EXPECT_EQ(id_set("q=sofa"), (IdSet{}));

  auto nothing = app_->get("/api/products?q=!!!");
  ASSERT_EQ(nothing.status, 200) << nothing.body;
  EXPECT_TRUE(body_of(nothing).at("data").as_array().empty()) << nothing.body;
  EXPECT_TRUE(body_of(nothing).at("next_cursor").is_null());
}

TEST_P(CatalogSearchTest, SearchOrdersByRelevanceOrTheGivenSort) {
  // "reading" is in the chair's name but only in the brass lamp's description; the lamp was
  // made first, so it would come first on a tie by id.
  EXPECT_EQ(ids("q=reading"), (Ids{chair_, brass_}));
  auto lamp = ids("q=lamp");
  ASSERT_EQ(lamp.size(), 3u);
  EXPECT_EQ(lamp.back(), chair_) << "the only description match comes last";

  EXPECT_EQ(ids("q=lamp&sort=price_asc"), (Ids{paper_, brass_, chair_}));
  EXPECT_EQ(ids("q=lamp&sort=price_desc"), (Ids{chair_, brass_, paper_}));
  EXPECT_EQ(ids("q=lamp&sort=newest"), (Ids{paper_, chair_, brass_}));

  // Pages of one follow the relevance order.
  auto paged = walk(*app_, "/api/products?q=lamp&limit=1");
  EXPECT_TRUE(paged.ended);
  EXPECT_EQ(ids_of(paged.items), lamp);
  auto paged_by_price = walk(*app_, "/api/products?q=lamp&sort=price_desc&limit=2");
  EXPECT_EQ(ids_of(paged_by_price.items), (Ids{chair_, brass_, paper_}));
}

TEST_P(CatalogSearchTest, RelevanceTiesArePagedByIdWithoutLossOrRepeat) {
  // Identical texts score alike: the cursor must carry the tie to the id.
  IdSet twins;
  for (int i = 0; i < 5; ++i) twins.insert(make(i % 2 ? first_ : second_, "Twin candle", "Beeswax", 700, 1, lamps_));
  auto one_page = ids("q=candle&limit=100");
  ASSERT_EQ(IdSet(one_page.begin(), one_page.end()), twins);
  EXPECT_TRUE(std::is_sorted(one_page.begin(), one_page.end()) ||
              std::is_sorted(one_page.rbegin(), one_page.rend()))
      << "ties by id";
  for (auto limit : {"1", "2"}) {
    auto paged = walk(*app_, std::string("/api/products?q=candle&limit=") + limit);
    EXPECT_TRUE(paged.ended);
    EXPECT_EQ(ids_of(paged.items), one_page) << "limit=" << limit;
  }
}

// Common English words are ignored alike on both backends (PostgreSQL's `english`
// configuration drops them; the terms leave them out before SQLite sees them).
TEST_P(CatalogSearchTest, CommonWordsAreIgnoredAlikeOnBothBackends) {
  // Only the brass lamp's description ("Warm light for reading") holds "for"; it is ignored.
  EXPECT_EQ(id_set("q=lamp%20for"), id_set("q=lamp"));
  EXPECT_EQ(id_set("q=lamp%20for").size(), 3u);
  EXPECT_TRUE(id_set("q=for").empty()) << "a q of common words only matches nothing";
  EXPECT_EQ(id_set("q=the%20reading"), (IdSet{chair_, brass_}));
}

TEST_P(CatalogSearchTest, SearchCombinesWithFilters) {
  EXPECT_EQ(id_set("q=lamp&category_id=" + lamps_), (IdSet{brass_, paper_}));
  EXPECT_EQ(id_set("q=lamp&category_id=" + furniture_), (IdSet{chair_}));
  EXPECT_EQ(id_set("q=lamp&vendor_id=" + second_.user_id), (IdSet{chair_, paper_}));
  EXPECT_EQ(id_set("q=lamp&max_price=4500"), (IdSet{brass_, paper_}));
  EXPECT_EQ(id_set("q=oak&in_stock=true"), (IdSet{}));
  EXPECT_EQ(ids("q=lamp&category_id=" + lamps_ + "&sort=price_asc"), (Ids{paper_, brass_}));
}

TEST_P(CatalogSearchTest, TheIndexFollowsUpdatesAndDeletes) {
  auto renamed = put(*app_, "/api/products/" + brass_, {{"name", "Copper desk light"}}, bearer(first_.access_token));
  ASSERT_EQ(renamed.status, 200) << renamed.body;
  EXPECT_EQ(id_set("q=brass"), (IdSet{})) << "the old name is gone from the index";
  EXPECT_EQ(id_set("q=copper"), (IdSet{brass_}));
  EXPECT_EQ(id_set("q=lamp"), (IdSet{chair_, paper_}));
  EXPECT_EQ(id_set("q=reading"), (IdSet{chair_, brass_})) << "the description is still indexed";

  auto described = put(*app_, "/api/products/" + paper_, {{"description", "Three small paper globes"}},
                       bearer(second_.access_token));
  ASSERT_EQ(described.status, 200) << described.body;
  EXPECT_EQ(id_set("q=shades"), (IdSet{}));
  EXPECT_EQ(id_set("q=globes"), (IdSet{paper_}));
  EXPECT_EQ(id_set("q=paper"), (IdSet{paper_}));

  // An update of other fields keeps the product findable.
  ASSERT_EQ(put(*app_, "/api/products/" + table_, {{"price", 100}}, bearer(first_.access_token)).status, 200);
  EXPECT_EQ(id_set("q=oak"), (IdSet{table_}));

  ASSERT_EQ(del(*app_, "/api/products/" + table_, bearer(first_.access_token)).status, 204);
  EXPECT_EQ(id_set("q=oak"), (IdSet{}));
}

MERCATO_CATALOG_BACKENDS(CatalogSearchTest);
