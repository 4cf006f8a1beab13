// GET /api/products keyset pagination over 1,000 products full of ties on the sort keys,
// with and without filters, and the answers to bad cursors and query parameters.

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <set>

#include "integration/catalog/catalog_test_support.hpp"
#include "security/base64.hpp"

using namespace mercato;
using namespace mercato::testing::catalog;
using mercato::testing::AppHarness;
using mercato::testing::accounts::accounts_config;

namespace {

class CatalogPaginationTest : public mercato::testing::BackendTest {};
class CatalogListParamsTest : public mercato::testing::BackendTest {};

// Sort orders of the contract, on the seed rows: (key, id), descending for newest and price_desc.
bool newest_first(const SeedProduct& a, const SeedProduct& b) {
  return a.created_at != b.created_at ? a.created_at > b.created_at : a.id > b.id;
}
bool cheapest_first(const SeedProduct& a, const SeedProduct& b) {
  return a.price != b.price ? a.price < b.price : a.id < b.id;
}
bool dearest_first(const SeedProduct& a, const SeedProduct& b) {
  return a.price != b.price ? a.price > b.price : a.id > b.id;
}

std::vector<std::string> ids_sorted(std::vector<SeedProduct> products, bool (*order)(const SeedProduct&, const SeedProduct&)) {
  std::sort(products.begin(), products.end(), order);
  std::vector<std::string> out;
  for (const auto& p : products) out.push_back(p.id);
  return out;
}

std::string cursor_param(const http::Response& r) {
  auto body = body_of(r);
  auto& next = body.at("next_cursor");
  if (!next.is_string()) {
    ADD_FAILURE() << "no next_cursor: " << r.body;
    return {};
  }
  return str(next);
}

}  // namespace

TEST_P(CatalogPaginationTest, EveryProductOnceInOrderForEachSortOver1000TiedRows) {
  AppHarness app(database(), accounts_config());
  auto admin = admin_session(app);
  std::vector<std::string> vendors{vendor_session(app, "v1@example.com").user_id,
                                   vendor_session(app, "v2@example.com").user_id,
                                   vendor_session(app, "v3@example.com").user_id};
  std::vector<std::string> categories{create_category(app, admin.access_token, "Lamps"),
                                      create_category(app, admin.access_token, "Chairs")};

  // 7 prices and 10 creation times only: most rows tie with many others on the sort key.
  const std::vector<std::int64_t> prices{0, 100, 250, 999, 1000, 5000, 123456};
  std::vector<std::string> times;
  for (int i = 0; i < 10; ++i) times.push_back("2026-10-1" + std::to_string(i) + "T12:30:45.12345" + std::to_string(i) + "Z");
  std::mt19937 pick(4);
  UuidSource uuids(1000);
  std::vector<SeedProduct> seed;
  for (int i = 0; i < 1000; ++i) {
    SeedProduct p;
    p.id = uuids.next();
    p.name = "Item " + std::to_string(i);
    p.price = prices[pick() % prices.size()];
    p.stock = pick() % 4 == 0 ? 0 : static_cast<std::int64_t>(pick() % 50 + 1);
    p.category_id = categories[pick() % categories.size()];
    p.vendor_id = vendors[pick() % vendors.size()];
    p.created_at = times[pick() % times.size()];
    seed.push_back(std::move(p));
  }
  {
    // The seed really is full of ties, over every category and vendor.
    std::set<std::int64_t> seeded_prices;
    std::set<std::string> seeded_times, seeded_categories, seeded_vendors;
    for (const auto& p : seed) {
      seeded_prices.insert(p.price);
      seeded_times.insert(p.created_at);
      seeded_categories.insert(p.category_id);
      seeded_vendors.insert(p.vendor_id);
    }
    ASSERT_EQ(seeded_prices.size(), 7u);
    ASSERT_EQ(seeded_times.size(), 10u);
    ASSERT_EQ(seeded_categories.size(), 2u);
    ASSERT_EQ(seeded_vendors.size(), 3u);
  }
  insert_products(database(), seed);
  ASSERT_EQ(count_of(database(), "SELECT COUNT(*) FROM products WHERE deleted_at IS NULL"), 1000);
  std::map<std::string, const SeedProduct*> by_id;
  for (const auto& p : seed) by_id[p.id] = &p;

  struct Sort {
    std::string name;
    bool (*order)(const SeedProduct&, const SeedProduct&);
  };
  for (const auto& sort : std::vector<Sort>{{"newest", newest_first}, {"price_asc", cheapest_first},
                                            {"price_desc", dearest_first}}) {
    auto expected = ids_sorted(seed, sort.order);
    auto result = walk(app, "/api/products?sort=" + sort.name + "&limit=100");
    EXPECT_TRUE(result.ended) << sort.name;
    EXPECT_EQ(result.page_sizes, std::vector<std::size_t>(10, 100)) << sort.name;
    auto seen = ids_of(result.items);
    EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()).size(), seen.size()) << sort.name << ": a duplicate";
    EXPECT_EQ(seen, expected) << sort.name;
    // The items are the seeded rows, as written.
    for (const auto& item : result.items) {
      auto it = by_id.find(str(item.at("id")));
      ASSERT_NE(it, by_id.end());
      EXPECT_EQ(str(item.at("name")), it->second->name);
      EXPECT_EQ(item.at("price").to_number<std::int64_t>(), it->second->price);
      EXPECT_EQ(str(item.at("created_at")), it->second->created_at);
      EXPECT_EQ(str(item.at("vendor_id")), it->second->vendor_id);
    }

    auto small = walk(app, "/api/products?limit=7&sort=" + sort.name);
    EXPECT_TRUE(small.ended) << sort.name;
    ASSERT_EQ(small.page_sizes.size(), 143u) << sort.name;
    EXPECT_EQ(small.page_sizes.back(), 6u) << sort.name;
    EXPECT_EQ(ids_of(small.items), expected) << sort.name << " with limit=7";
  }
  // Without a sort: newest.
  auto defaults = walk(app, "/api/products?limit=100");
  EXPECT_EQ(ids_of(defaults.items), ids_sorted(seed, newest_first));

  // Filters: category + min_price + in_stock, in the default order.
  std::vector<SeedProduct> wanted;
  for (const auto& p : seed)
    if (p.category_id == categories[0] && p.price >= 250 && p.stock > 0) wanted.push_back(p);
  ASSERT_GT(wanted.size(), 50u);
  ASSERT_LT(wanted.size(), 400u);
  auto filtered = walk(app, "/api/products?category_id=" + categories[0] + "&min_price=250&in_stock=true&limit=9");
  EXPECT_TRUE(filtered.ended);
  EXPECT_EQ(ids_of(filtered.items), ids_sorted(wanted, newest_first));

  // Every filter at once, price ascending, bounds inclusive.
  wanted.clear();
  for (const auto& p : seed)
    if (p.category_id == categories[1] && p.vendor_id == vendors[2] && p.price >= 100 && p.price <= 1000 &&
        p.stock > 0)
      wanted.push_back(p);
  ASSERT_GT(wanted.size(), 10u);
  auto combined = walk(app, "/api/products?sort=price_asc&limit=4&category_id=" + categories[1] + "&vendor_id=" +
                                vendors[2] + "&min_price=100&max_price=1000&in_stock=true");
  EXPECT_TRUE(combined.ended);
  EXPECT_EQ(ids_of(combined.items), ids_sorted(wanted, cheapest_first));
}

TEST_P(CatalogListParamsTest, BadQueryParametersAreNamed) {
  AppHarness app(database(), accounts_config());
  struct Case {
    std::string query;
    std::vector<std::string> fields;
  };
  std::vector<Case> cases{
      {"limit=0", {"limit"}},
      {"limit=101", {"limit"}},
      {"limit=abc", {"limit"}},
      {"limit=-1", {"limit"}},
      {"sort=cheapest", {"sort"}},
      {"sort=relevance", {"sort"}},
      {"in_stock=yes", {"in_stock"}},
      {"in_stock=1", {"in_stock"}},
      {"category_id=x", {"category_id"}},
      {"vendor_id=x", {"vendor_id"}},
      {"min_price=-1", {"min_price"}},
      {"min_price=abc", {"min_price"}},
      {"max_price=1.5", {"max_price"}},
      {"q=" + std::string(201, 'q'), {"q"}},
  };
  for (const auto& c : cases) {
    auto r = app.get("/api/products?" + c.query);
    EXPECT_EQ(r.status, 400) << c.query << ": " << r.body;
    EXPECT_EQ(code_of(r), "validation_failed") << c.query;
    EXPECT_EQ(error_fields(r), c.fields) << c.query << ": " << r.body;
  }
  auto inverted = app.get("/api/products?min_price=500&max_price=100");
  EXPECT_EQ(inverted.status, 400) << inverted.body;
  auto fields = error_fields(inverted);
  ASSERT_EQ(fields.size(), 1u) << inverted.body;
  EXPECT_TRUE(fields[0] == "min_price" || fields[0] == "max_price") << inverted.body;

  // The limits and an unknown parameter are fine.
  for (const auto& query : std::vector<std::string>{"limit=1", "limit=100", "colour=red", "min_price=100&max_price=100",
                                                    "in_stock=false", "q=" + std::string(200, 'q')}) {
    auto r = app.get("/api/products?" + query);
    EXPECT_EQ(r.status, 200) << query << ": " << r.body;
  }
}

TEST_P(CatalogListParamsTest, CursorsOnlyContinueTheirOwnListing) {
  AppHarness app(database(), accounts_config());
  auto admin = admin_session(app);
  auto vendor = vendor_session(app);
  auto lamps = create_category(app, admin.access_token, "Lamps");
  auto chairs = create_category(app, admin.access_token, "Chairs");
  std::vector<std::string> lamp_ids;
  for (int i = 0; i < 5; ++i) {
    lamp_ids.push_back(create_product_id(app, vendor.access_token,
                                         product_body("Lamp " + std::to_string(i), 100 * (5 - i), 1, lamps)));
    create_product_id(app, vendor.access_token, product_body("Chair " + std::to_string(i), 100 * i, 1, chairs));
  }

  auto garbage = app.get("/api/products?cursor=garbage");
  EXPECT_EQ(garbage.status, 400) << garbage.body;
  EXPECT_EQ(code_of(garbage), "invalid_cursor");
  auto forged = security::base64url_encode(security::byte_view(std::string("0123456789abcdef\n500\n") + lamp_ids[0]));
  auto forged_r = app.get("/api/products?sort=price_asc&cursor=" + forged);
  EXPECT_EQ(forged_r.status, 400) << forged_r.body;
  EXPECT_EQ(code_of(forged_r), "invalid_cursor");

  auto newest = app.get("/api/products?sort=newest&limit=2");
  ASSERT_EQ(newest.status, 200);
  auto cursor = cursor_param(newest);
  for (auto other_sort : {"price_asc", "price_desc"}) {
    auto r = app.get("/api/products?limit=2&sort=" + std::string(other_sort) + "&cursor=" + cursor);
    EXPECT_EQ(r.status, 400) << other_sort << ": " << r.body;
    EXPECT_EQ(code_of(r), "invalid_cursor");
  }
  auto in_category = app.get("/api/products?limit=2&category_id=" + lamps);
  ASSERT_EQ(in_category.status, 200);
  auto category_cursor = cursor_param(in_category);
  for (const auto& other : {"category_id=" + chairs, std::string("sort=newest"), "category_id=" + lamps + "&min_price=1",
                            "category_id=" + lamps + "&q=lamp"}) {
    auto r = app.get("/api/products?limit=2&" + other + "&cursor=" + category_cursor);
    EXPECT_EQ(r.status, 400) << other << ": " << r.body;
    EXPECT_EQ(code_of(r), "invalid_cursor");
  }
  // With its own filters it continues, whatever the limit.
  auto next = app.get("/api/products?limit=3&category_id=" + lamps + "&cursor=" + category_cursor);
  ASSERT_EQ(next.status, 200) << next.body;
  auto first_page = ids_in(body_of(in_category));
  auto rest = ids_in(body_of(next));
  first_page.insert(first_page.end(), rest.begin(), rest.end());
  EXPECT_EQ(first_page, std::vector<std::string>(lamp_ids.rbegin(), lamp_ids.rend())) << "newest first";
  EXPECT_TRUE(body_of(next).at("next_cursor").is_null());
}

MERCATO_CATALOG_BACKENDS(CatalogPaginationTest);
MERCATO_CATALOG_BACKENDS(CatalogListParamsTest);
