// DELETE /api/products/:id takes the product out of the catalog but keeps its row, so the
// orders that hold it keep their history.

#include <gtest/gtest.h>

#include "integration/catalog/catalog_test_support.hpp"

using namespace mercato;
using namespace mercato::testing::catalog;
using mercato::testing::AppHarness;
using mercato::testing::accounts::accounts_config;
namespace accounts = mercato::testing::accounts;

namespace {

class CatalogProductDeletionTest : public mercato::testing::BackendTest {};

}  // namespace

TEST_P(CatalogProductDeletionTest, DeletedProductLeavesTheCatalogButNotTheOrders) {
  AppHarness app(database(), accounts_config());
  auto admin = admin_session(app);
  auto vendor = vendor_session(app);
  auto customer = verified_session(app, "buyer@example.com", "customer");
  auto category = create_category(app, admin.access_token, "Lamps");
  auto id = create_product_id(app, vendor.access_token,
                              product_body("Brass lamp", 4599, 3, category, "A heavy brass desk lamp"));
  auto kept = create_product_id(app, vendor.access_token, product_body("Paper lamp", 999, 8, category, "Light"));
  ASSERT_FALSE(id.empty());

  // An order holding two of the product.
  auto placed = accounts::post(app, "/api/orders", {{"items", {{{"product_id", id}, {"quantity", 2}}}}},
                               bearer(customer.access_token));
  ASSERT_EQ(placed.status, 201) << placed.body;
  auto order_id = str(body_of(placed).at("id"));
  ASSERT_EQ(list_ids(app, "/api/products?q=brass"), std::vector<std::string>{id}) << "searchable before";

  auto deleted = del(app, "/api/products/" + id, bearer(vendor.access_token));
  ASSERT_EQ(deleted.status, 204) << deleted.body;
  EXPECT_TRUE(deleted.body.empty());

  auto got = get_product(app, id);
  EXPECT_EQ(got.status, 404) << got.body;
  EXPECT_EQ(code_of(got), "not_found");
  EXPECT_EQ(list_ids(app, "/api/products"), std::vector<std::string>{kept});
  EXPECT_EQ(list_ids(app, "/api/products?category_id=" + category), std::vector<std::string>{kept});
  EXPECT_EQ(list_ids(app, "/api/products?q=brass"), std::vector<std::string>{});
  EXPECT_EQ(list_ids(app, "/api/products?q=lamp&sort=price_asc"), std::vector<std::string>{kept});
  auto update = put(app, "/api/products/" + id, {{"price", 1}}, bearer(vendor.access_token));
  EXPECT_EQ(update.status, 404) << update.body;
  EXPECT_EQ(put(app, "/api/products/" + id, {{"price", 1}}, bearer(admin.access_token)).status, 404);
  EXPECT_EQ(del(app, "/api/products/" + id, bearer(vendor.access_token)).status, 404) << "already deleted";

  auto lease = database().acquire();
  auto row = lease->execute("SELECT name, price, deleted_at FROM products WHERE id = $1", {id});
  ASSERT_EQ(row.rows.size(), 1u) << "the row is kept";
  EXPECT_EQ(row.rows[0].text(0), "Brass lamp");
  EXPECT_EQ(row.rows[0].int64(1), 4599);
  EXPECT_FALSE(row.rows[0].is_null(2)) << "marked deleted";

  // The order still shows the item, at the price it was bought for.
  auto order = app.call(http::Method::get, "/api/orders/" + order_id, {}, bearer(customer.access_token));
  ASSERT_EQ(order.status, 200) << order.body;
  auto items = body_of(order).at("items").as_array();
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(str(items[0].at("product_id")), id);
  EXPECT_EQ(items[0].at("quantity"), 2);
  EXPECT_EQ(items[0].at("price_at_purchase"), 4599);
  EXPECT_EQ(body_of(order).at("total_price"), 2 * 4599);
  auto history = lease->execute(
      "SELECT p.name, p.price FROM order_items oi JOIN products p ON p.id = oi.product_id WHERE oi.order_id = $1",
      {order_id});
  ASSERT_EQ(history.rows.size(), 1u);
  EXPECT_EQ(history.rows[0].text(0), "Brass lamp");
  EXPECT_EQ(history.rows[0].int64(1), 4599);
}

TEST_P(CatalogProductDeletionTest, AdminDeletesAnyProduct) {
  AppHarness app(database(), accounts_config());
  auto admin = admin_session(app);
  auto vendor = vendor_session(app);
  auto category = create_category(app, admin.access_token, "Lamps");
  auto id = create_product_id(app, vendor.access_token, product_body("Desk lamp", 1999, 5, category));
  EXPECT_EQ(del(app, "/api/products/" + id, bearer(admin.access_token)).status, 204);
  EXPECT_EQ(get_product(app, id).status, 404);
  EXPECT_EQ(count_of(database(), "SELECT COUNT(*) FROM products WHERE deleted_at IS NOT NULL"), 1);
}

MERCATO_CATALOG_BACKENDS(CatalogProductDeletionTest);
