// Conditional GET on the public catalog reads: ETag, Cache-Control public, 304 for a tag
// the client holds; writes stay no-store.

#include <gtest/gtest.h>

#include <regex>

#include "integration/catalog/catalog_test_support.hpp"

using namespace mercato;
using namespace mercato::testing::catalog;
using mercato::testing::AppHarness;
using mercato::testing::accounts::accounts_config;
namespace accounts = mercato::testing::accounts;

namespace {

class CatalogCachingTest : public mercato::testing::BackendTest {};

std::string header(const http::Response& r, std::string_view name) {
  auto value = r.headers.get(name);
  return value ? std::string(*value) : std::string("<none>");
}

http::Response if_none_match(AppHarness& app, const std::string& target, const std::string& tags) {
  return get_with(app, target, accounts::headers({{"If-None-Match", tags}}));
}

// The checks every cacheable read passes; returns its ETag.
std::string expect_revalidates(AppHarness& app, const std::string& target) {
  auto first = app.get(target);
  EXPECT_EQ(first.status, 200) << target << ": " << first.body;
  auto etag = header(first, "ETag");
  EXPECT_TRUE(std::regex_match(etag, std::regex("\"[0-9a-f]{32}\""))) << target << ": " << etag;
  auto cache_control = header(first, "Cache-Control");
  EXPECT_NE(cache_control.find("public"), std::string::npos) << target << ": " << cache_control;
  EXPECT_EQ(cache_control.find("no-store"), std::string::npos) << target << ": " << cache_control;

  auto again = app.get(target);
  EXPECT_EQ(header(again, "ETag"), etag) << target << ": the same body, the same tag";

  for (const auto& tags : {etag, "W/" + etag, "\"x\", " + etag, "\"x\",W/" + etag, std::string("*")}) {
    auto r = if_none_match(app, target, tags);
    EXPECT_EQ(r.status, 304) << target << " If-None-Match: " << tags;
    EXPECT_TRUE(r.body.empty()) << r.body;
    EXPECT_EQ(header(r, "ETag"), etag) << tags;
    EXPECT_EQ(header(r, "Cache-Control"), cache_control) << tags;
  }
  for (const auto& tags : {std::string("\"x\""), std::string("\"0123456789abcdef0123456789abcdef\"")}) {
    auto r = if_none_match(app, target, tags);
    EXPECT_EQ(r.status, 200) << target << " If-None-Match: " << tags;
    EXPECT_EQ(r.body, first.body);
  }
  return etag;
}

}  // namespace

TEST_P(CatalogCachingTest, ProductReadsRevalidateAndChangeTagWhenTheProductChanges) {
  AppHarness app(database(), accounts_config());
  auto admin = admin_session(app);
  auto vendor = vendor_session(app);
  auto category = create_category(app, admin.access_token, "Lamps");
  auto created = post_product(app, vendor.access_token, product_body("Desk lamp", 1999, 5, category));
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(header(created, "Cache-Control"), "no-store");
  auto id = str(body_of(created).at("id"));

  const std::string one = "/api/products/" + id;
  const std::string list = "/api/products";
  auto product_tag = expect_revalidates(app, one);
  auto list_tag = expect_revalidates(app, list);
  EXPECT_NE(product_tag, list_tag);

  auto updated = put(app, one, {{"price", 2499}}, bearer(vendor.access_token));
  ASSERT_EQ(updated.status, 200);
  EXPECT_EQ(header(updated, "Cache-Control"), "no-store");
  for (const auto& [target, old_tag] : {std::pair{one, product_tag}, std::pair{list, list_tag}}) {
    auto r = if_none_match(app, target, old_tag);
    EXPECT_EQ(r.status, 200) << target << ": the product changed";
    EXPECT_NE(r.body.find("2499"), std::string::npos) << r.body;
    auto new_tag = header(r, "ETag");
    EXPECT_NE(new_tag, old_tag) << target;
    EXPECT_EQ(if_none_match(app, target, new_tag).status, 304) << target;
  }

  // Errors and writes are not cached.
  auto missing = app.get("/api/products/" + UuidSource(31).next());
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(header(missing, "Cache-Control"), "no-store");
  EXPECT_EQ(header(del(app, one, bearer(vendor.access_token)), "Cache-Control"), "no-store");
  auto gone = if_none_match(app, one, product_tag);
  EXPECT_EQ(gone.status, 404) << "a deleted product is not 'not modified'";
}

TEST_P(CatalogCachingTest, CategoryReadsRevalidate) {
  AppHarness app(database(), accounts_config());
  auto admin = admin_session(app);
  auto created = accounts::post(app, "/api/categories", {{"name", "Lamps"}}, bearer(admin.access_token));
  ASSERT_EQ(created.status, 201);
  EXPECT_EQ(header(created, "Cache-Control"), "no-store");
  auto id = str(body_of(created).at("id"));
  auto one_tag = expect_revalidates(app, "/api/categories/" + id);
  auto list_tag = expect_revalidates(app, "/api/categories");

  ASSERT_EQ(put(app, "/api/categories/" + id, {{"description", "Light"}}, bearer(admin.access_token)).status, 200);
  EXPECT_EQ(if_none_match(app, "/api/categories/" + id, one_tag).status, 200);
  EXPECT_EQ(if_none_match(app, "/api/categories", list_tag).status, 200);
}

MERCATO_CATALOG_BACKENDS(CatalogCachingTest);
