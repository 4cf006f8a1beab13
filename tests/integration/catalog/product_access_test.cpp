// Who may write products: vendors their own (email verified, no vendor_id of their choosing),
// admins any product for any vendor; customers and anonymous callers never.

#include <gtest/gtest.h>

#include "integration/catalog/catalog_test_support.hpp"
#include "security/uuid.hpp"

using namespace mercato;
using namespace mercato::testing::catalog;
using mercato::testing::AppHarness;
using mercato::testing::accounts::accounts_config;
namespace accounts = mercato::testing::accounts;

namespace {

class CatalogProductAccessTest : public mercato::testing::BackendTest {
 protected:
  std::int64_t product_rows() { return count_of(database(), "SELECT COUNT(*) FROM products"); }
};

}  // namespace

TEST_P(CatalogProductAccessTest, VendorCreatesItsOwnProduct) {
  AppHarness app(database(), accounts_config());
  auto admin = admin_session(app);
  auto vendor = vendor_session(app);
  auto category = create_category(app, admin.access_token, "Lamps");

  auto r = post_product(app, vendor.access_token, product_body("  Desk lamp ", 1999, 5, category, "Bright"));
  ASSERT_EQ(r.status, 201) << r.body;
  auto product = body_of(r);
  EXPECT_EQ(product.size(), 10u) << r.body;
  EXPECT_TRUE(security::is_uuid(str(product.at("id"))));
  EXPECT_EQ(product.at("name"), "Desk lamp");
  EXPECT_EQ(product.at("description"), "Bright");
  EXPECT_EQ(product.at("price"), 1999);
  EXPECT_EQ(product.at("currency"), "usd");
  EXPECT_EQ(product.at("stock_quantity"), 5);
  EXPECT_EQ(str(product.at("category_id")), category);
  EXPECT_EQ(str(product.at("vendor_id")), vendor.user_id);
  EXPECT_EQ(product.at("updated_at"), product.at("created_at"));
  EXPECT_EQ(r.headers.get("Cache-Control"), "no-store");

  auto got = get_product(app, str(product.at("id")));
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(body_of(got), product);
}

TEST_P(CatalogProductAccessTest, CustomersAndAnonymousCallersCannotWrite) {
  AppHarness app(database(), accounts_config());
  auto admin = admin_session(app);
  auto vendor = vendor_session(app);
  auto customer = customer_session(app);
  auto category = create_category(app, admin.access_token, "Lamps");
  auto id = create_product_id(app, vendor.access_token, product_body("Desk lamp", 1999, 5, category));
  auto before = get_product(app, id).body;

  auto created = post_product(app, customer.access_token, product_body("Floor lamp", 5000, 1, category));
  EXPECT_EQ(created.status, 403) << created.body;
  EXPECT_EQ(code_of(created), "forbidden");
  auto updated = put(app, "/api/products/" + id, {{"price", 1}}, bearer(customer.access_token));
  EXPECT_EQ(updated.status, 403) << updated.body;
  EXPECT_EQ(code_of(updated), "forbidden");
  auto deleted = del(app, "/api/products/" + id, bearer(customer.access_token));
  EXPECT_EQ(deleted.status, 403) << deleted.body;
  EXPECT_EQ(code_of(deleted), "forbidden");

  EXPECT_EQ(accounts::post(app, "/api/products", product_body("Floor lamp", 5000, 1, category)).status, 401);
  EXPECT_EQ(put(app, "/api/products/" + id, {{"price", 1}}).status, 401);
  EXPECT_EQ(del(app, "/api/products/" + id).status, 401);

  EXPECT_EQ(get_product(app, id).body, before);
  EXPECT_EQ(product_rows(), 1);
}

TEST_P(CatalogProductAccessTest, VendorWithUnverifiedEmailIsRefused) {
  AppHarness app(database(), accounts_config());
  auto admin = admin_session(app);
  auto category = create_category(app, admin.access_token, "Lamps");
  auto pending = unverified_vendor_session(app, "new@example.com");

  auto r = post_product(app, pending.access_token, product_body("Desk lamp", 1999, 5, category));
  EXPECT_EQ(r.status, 403) << r.body;
  EXPECT_EQ(code_of(r), "email_not_verified");
  EXPECT_EQ(product_rows(), 0);

  // An admin made the product for it; the unverified vendor still may not change it.
  auto made = create_product(app, admin.access_token, [&] {
    auto body = product_body("Desk lamp", 1999, 5, category);
    body["vendor_id"] = pending.user_id;
    return body;
  }());
  auto id = str(made.at("id"));
  auto before = get_product(app, id).body;
  auto updated = put(app, "/api/products/" + id, {{"price", 1}}, bearer(pending.access_token));
  EXPECT_EQ(updated.status, 403) << updated.body;
  EXPECT_EQ(code_of(updated), "email_not_verified");
  auto deleted = del(app, "/api/products/" + id, bearer(pending.access_token));
  EXPECT_EQ(deleted.status, 403) << deleted.body;
  EXPECT_EQ(code_of(deleted), "email_not_verified");
  EXPECT_EQ(get_product(app, id).body, before);

  // Once verified, the same session may.
  auto verified = accounts::post(app, "/api/auth/verify-email", {{"token", app.last_token_sent_to("new@example.com")}});
  ASSERT_EQ(verified.status, 200) << verified.body;
  auto after = post_product(app, pending.access_token, product_body("Floor lamp", 5000, 1, category));
  EXPECT_EQ(after.status, 201) << after.body;
}

TEST_P(CatalogProductAccessTest, VendorMayNotChooseTheVendorId) {
  AppHarness app(database(), accounts_config());
  auto admin = admin_session(app);
  auto vendor = vendor_session(app);
  auto other = vendor_session(app, "other@example.com");
  auto category = create_category(app, admin.access_token, "Lamps");
  auto id = create_product_id(app, vendor.access_token, product_body("Desk lamp", 1999, 5, category));
  auto before = get_product(app, id).body;

  for (const auto& vendor_id : {other.user_id, vendor.user_id}) {
    auto body = product_body("Floor lamp", 5000, 1, category);
    body["vendor_id"] = vendor_id;
    auto created = post_product(app, vendor.access_token, body);
    EXPECT_EQ(created.status, 400) << created.body;
    EXPECT_EQ(code_of(created), "validation_failed");
    EXPECT_EQ(error_fields(created), std::vector<std::string>{"vendor_id"}) << created.body;

    auto updated = put(app, "/api/products/" + id, {{"vendor_id", vendor_id}, {"price", 1}}, bearer(vendor.access_token));
    EXPECT_EQ(updated.status, 400) << updated.body;
    EXPECT_EQ(error_fields(updated), std::vector<std::string>{"vendor_id"}) << updated.body;
  }
  EXPECT_EQ(product_rows(), 1) << "nothing was created";
  EXPECT_EQ(get_product(app, id).body, before) << "nothing was changed";
  EXPECT_EQ(list_ids(app, "/api/products?vendor_id=" + other.user_id), std::vector<std::string>{});
}

TEST_P(CatalogProductAccessTest, VendorCannotTouchAnotherVendorsProduct) {
  AppHarness app(database(), accounts_config());
  auto admin = admin_session(app);
  auto owner = vendor_session(app);
  auto other = vendor_session(app, "other@example.com");
  auto category = create_category(app, admin.access_token, "Lamps");
  auto id = create_product_id(app, owner.access_token, product_body("Desk lamp", 1999, 5, category));
  auto before = get_product(app, id).body;

  auto updated = put(app, "/api/products/" + id, {{"price", 1}, {"name", "Mine now"}}, bearer(other.access_token));
  EXPECT_EQ(updated.status, 403) << updated.body;
  EXPECT_EQ(code_of(updated), "not_product_owner");
  auto deleted = del(app, "/api/products/" + id, bearer(other.access_token));
  EXPECT_EQ(deleted.status, 403) << deleted.body;
  EXPECT_EQ(code_of(deleted), "not_product_owner");
  EXPECT_EQ(get_product(app, id).body, before);

  // Unknown products are 404 for a vendor too, not 403.
  auto unknown = mercato::testing::catalog::UuidSource(3).next();
  EXPECT_EQ(put(app, "/api/products/" + unknown, {{"price", 1}}, bearer(other.access_token)).status, 404);
  EXPECT_EQ(del(app, "/api/products/" + unknown, bearer(other.access_token)).status, 404);
  EXPECT_EQ(put(app, "/api/products/not-a-uuid", {{"price", 1}}, bearer(other.access_token)).status, 404);

  // The owner may.
  auto own = put(app, "/api/products/" + id, {{"price", 2500}}, bearer(owner.access_token));
  ASSERT_EQ(own.status, 200) << own.body;
  EXPECT_EQ(body_of(own).at("price"), 2500);
}

TEST_P(CatalogProductAccessTest, AdminCreatesForAVendorOnly) {
  AppHarness app(database(), accounts_config());
  auto admin = admin_session(app);
  auto vendor = vendor_session(app);
  auto customer = customer_session(app);
  auto category = create_category(app, admin.access_token, "Lamps");

  auto body = product_body("Desk lamp", 1999, 5, category);
  auto missing = post_product(app, admin.access_token, body);
  EXPECT_EQ(missing.status, 400) << missing.body;
  EXPECT_EQ(error_fields(missing), std::vector<std::string>{"vendor_id"}) << missing.body;

  for (const auto& not_a_vendor : {customer.user_id, admin.user_id, mercato::testing::catalog::UuidSource(5).next()}) {
    body["vendor_id"] = not_a_vendor;
    auto refused = post_product(app, admin.access_token, body);
    EXPECT_EQ(refused.status, 400) << refused.body;
    EXPECT_EQ(error_fields(refused), std::vector<std::string>{"vendor_id"}) << refused.body;
  }
  EXPECT_EQ(product_rows(), 0);

  body["vendor_id"] = vendor.user_id;
  auto created = post_product(app, admin.access_token, body);
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(str(body_of(created).at("vendor_id")), vendor.user_id);
  // The vendor owns it now.
  auto id = str(body_of(created).at("id"));
  EXPECT_EQ(put(app, "/api/products/" + id, {{"stock_quantity", 9}}, bearer(vendor.access_token)).status, 200);
}

TEST_P(CatalogProductAccessTest, AdminUpdatesDeletesAndMovesAnyProduct) {
  AppHarness app(database(), accounts_config());
  auto admin = admin_session(app);
  auto first = vendor_session(app);
  auto second = vendor_session(app, "second@example.com");
  auto customer = customer_session(app);
  auto category = create_category(app, admin.access_token, "Lamps");
  auto id = create_product_id(app, first.access_token, product_body("Desk lamp", 1999, 5, category));
  auto doomed = create_product_id(app, first.access_token, product_body("Old lamp", 100, 1, category));

  auto to_customer = put(app, "/api/products/" + id, {{"vendor_id", customer.user_id}}, bearer(admin.access_token));
  EXPECT_EQ(to_customer.status, 400) << to_customer.body;
  EXPECT_EQ(error_fields(to_customer), std::vector<std::string>{"vendor_id"});

  auto moved = put(app, "/api/products/" + id, {{"vendor_id", second.user_id}, {"price", 2999}},
                   bearer(admin.access_token));
  ASSERT_EQ(moved.status, 200) << moved.body;
  EXPECT_EQ(str(body_of(moved).at("vendor_id")), second.user_id);
  EXPECT_EQ(body_of(moved).at("price"), 2999);
  EXPECT_EQ(body_of(get_product(app, id)), body_of(moved));

  auto old_owner = put(app, "/api/products/" + id, {{"price", 1}}, bearer(first.access_token));
  EXPECT_EQ(old_owner.status, 403) << old_owner.body;
  EXPECT_EQ(code_of(old_owner), "not_product_owner");
  EXPECT_EQ(put(app, "/api/products/" + id, {{"price", 3999}}, bearer(second.access_token)).status, 200);
  EXPECT_EQ(list_ids(app, "/api/products?vendor_id=" + second.user_id), std::vector<std::string>{id});
  EXPECT_EQ(list_ids(app, "/api/products?vendor_id=" + first.user_id), std::vector<std::string>{doomed});

  EXPECT_EQ(del(app, "/api/products/" + doomed, bearer(admin.access_token)).status, 204);
  EXPECT_EQ(get_product(app, doomed).status, 404);
}

TEST_P(CatalogProductAccessTest, PutChangesOnlyTheFieldsItHolds) {
  AppHarness app(database(), accounts_config());
  auto admin = admin_session(app);
  auto vendor = vendor_session(app);
  auto lamps = create_category(app, admin.access_token, "Lamps");
  auto chairs = create_category(app, admin.access_token, "Chairs");
  auto product = create_product(app, vendor.access_token, product_body("Desk lamp", 1999, 5, lamps, "Bright"));
  auto id = str(product.at("id"));

  std::vector<boost::json::object> changes{{{"price", 2500}},
                                           {{"name", "Reading lamp"}, {"stock_quantity", 0}},
                                           {{"description", "Warm light"}},
                                           {{"currency", "GBP"}},
                                           {{"category_id", chairs}}};
  auto expected = product;
  for (const auto& change : changes) {
    auto r = put(app, "/api/products/" + id, change, bearer(vendor.access_token));
    ASSERT_EQ(r.status, 200) << json(change) << ": " << r.body;
    auto after = body_of(r);
    for (const auto& [key, value] : change)
      expected[key] = key == "currency" ? boost::json::value("gbp") : value;
    EXPECT_GT(str(after.at("updated_at")), str(expected.at("updated_at"))) << json(change);
    expected["updated_at"] = after.at("updated_at");
    EXPECT_EQ(after, expected) << json(change);
    EXPECT_EQ(body_of(get_product(app, id)), expected) << json(change);
  }
}

MERCATO_CATALOG_BACKENDS(CatalogProductAccessTest);
