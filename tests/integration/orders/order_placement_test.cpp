// POST /api/orders: the answer's shape, prices from the catalog, stock taken, lines merged,
// every kind of bad body refused without taking stock, mass assignment refused, roles.

#include <gtest/gtest.h>

#include <algorithm>

#include "integration/orders/orders_test_support.hpp"
#include "security/uuid.hpp"

using namespace mercato;
using namespace mercato::testing::orders;
using mercato::testing::AppHarness;
namespace accounts = mercato::testing::accounts;
namespace catalog = mercato::testing::catalog;

namespace {

class OrderPlacementTest : public mercato::testing::orders::OrdersTest {};

// The stocks of the world's products, to show that a refused order took nothing.
struct Stocks {
  std::int64_t lamp, mug, chair;
  bool operator==(const Stocks&) const = default;
};

Stocks stocks(AppHarness& app, const World& w) { return {stock_of(app, w.lamp), stock_of(app, w.mug), stock_of(app, w.chair)}; }

std::ostream& operator<<(std::ostream& os, const Stocks& s) {
  return os << "{lamp " << s.lamp << ", mug " << s.mug << ", chair " << s.chair << "}";
}

const Stocks initial{lamp_stock, mug_stock, chair_stock};

}  // namespace

TEST_P(OrderPlacementTest, PlacedOrderHasEveryFieldCatalogPricesAndTakesTheStock) {
  AppHarness app(database(), accounts_config());
  auto w = make_world(app);

  auto r = place_order(app, w.alice.access_token, {{w.lamp, 2}, {w.mug, 3}, {w.chair, 1}});
  auto placed_at = clock_text(app);
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(header_of(r, "Content-Type").rfind("application/json", 0), 0u) << header_of(r, "Content-Type");
  auto order = body_of(r);
  EXPECT_EQ(keys_of(order), order_keys()) << r.body;
  ASSERT_TRUE(order.at("id").is_string());
  auto id = str(order.at("id"));
  EXPECT_TRUE(mercato::security::is_uuid(id)) << id;
  EXPECT_EQ(header_of(r, "Location"), "/api/orders/" + id);
  EXPECT_EQ(str(order.at("user_id")), w.alice.user_id);
  EXPECT_EQ(order.at("status"), "pending");
  EXPECT_TRUE(order.at("payment_status").is_null()) << r.body;
  EXPECT_TRUE(order.at("delivered_at").is_null()) << r.body;
  EXPECT_EQ(order.at("currency"), "usd");
  EXPECT_EQ(order.at("total_price"), 2 * lamp_price + 3 * mug_price + 1 * chair_price);
  EXPECT_EQ(str(order.at("created_at")), placed_at);
  EXPECT_EQ(str(order.at("updated_at")), placed_at);

  const auto& items = order.at("items").as_array();
  ASSERT_EQ(items.size(), 3u) << r.body;
  std::set<std::string> item_ids;
  for (const auto& item : items) {
    const auto& i = item.as_object();
    EXPECT_EQ(keys_of(i), item_keys()) << item;
    EXPECT_EQ(str(i.at("order_id")), id);
    EXPECT_TRUE(mercato::security::is_uuid(str(i.at("id"))));
    item_ids.insert(str(i.at("id")));
    EXPECT_EQ(str(i.at("created_at")), placed_at);
    EXPECT_EQ(str(i.at("updated_at")), placed_at);
  }
  EXPECT_EQ(item_ids.size(), 3u) << "item ids are distinct";
  using Pair = std::pair<std::int64_t, std::int64_t>;
  std::map<std::string, Pair> expected{{w.lamp, {2, lamp_price}}, {w.mug, {3, mug_price}}, {w.chair, {1, chair_price}}};
  EXPECT_EQ(items_by_product(order), expected);

  EXPECT_EQ(stocks(app, w), (Stocks{lamp_stock - 2, mug_stock - 3, chair_stock - 1}));
  EXPECT_EQ(order_rows(database()), 1);
  EXPECT_EQ(item_rows(database()), 3);

  // The stored order is what was answered.
  auto fetched = get_order(app, w.alice.access_token, id);
  ASSERT_EQ(fetched.status, 200) << fetched.body;
  auto again = body_of(fetched);
  EXPECT_EQ(items_by_product(again), expected);
  for (const auto* field : {"id", "user_id", "status", "payment_status", "total_price", "currency", "delivered_at",
                            "created_at", "updated_at"})
    EXPECT_EQ(again.at(field), order.at(field)) << field;
}

// The contract orders items by item id: the placement answer must list them as every later
// read does (several products, so that an order by anything else shows).
TEST_P(OrderPlacementTest, PlacementAnswerListsItemsInItemIdOrderLikeEveryRead) {
  AppHarness app(database(), accounts_config());
  auto w = make_world(app);
  std::vector<Line> lines;
  for (int i = 0; i < 8; ++i)
    lines.push_back({create_product_id(app, w.vendor1.access_token,
                                       product_body("Vase " + std::to_string(i), 100 + i, 10, w.category)),
                     i + 1});
  auto r = place_order(app, w.alice.access_token, lines);
  ASSERT_EQ(r.status, 201) << r.body;
  auto placed = body_of(r);
  std::vector<std::string> ids;
  for (const auto& item : placed.at("items").as_array()) ids.push_back(str(item.at("id")));
  auto sorted = ids;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(ids, sorted) << "items of the 201 answer are not in item id order: " << r.body;

  auto fetched = get_order(app, w.alice.access_token, str(placed.at("id")));
  ASSERT_EQ(fetched.status, 200) << fetched.body;
  EXPECT_EQ(json(body_of(fetched)), json(placed)) << "GET answers another order than the 201 did";
}

TEST_P(OrderPlacementTest, LinesOfOneProductAreMergedIntoOneItem) {
  AppHarness app(database(), accounts_config());
  auto w = make_world(app);
  auto r = place_order(app, w.alice.access_token, {{w.lamp, 2}, {w.mug, 1}, {w.lamp, 3}});
  ASSERT_EQ(r.status, 201) << r.body;
  auto order = body_of(r);
  using Pair = std::pair<std::int64_t, std::int64_t>;
  EXPECT_EQ(items_by_product(order), (std::map<std::string, Pair>{{w.lamp, {5, lamp_price}}, {w.mug, {1, mug_price}}}));
  EXPECT_EQ(order.at("total_price"), 5 * lamp_price + 1 * mug_price);
  EXPECT_EQ(stocks(app, w), (Stocks{lamp_stock - 5, mug_stock - 1, chair_stock}));
  EXPECT_EQ(item_rows(database()), 2);
}

TEST_P(OrderPlacementTest, MergedQuantityUpTo1000IsAcceptedAndAboveIsRefusedAtTheFirstLine) {
  AppHarness app(database(), accounts_config());
  auto w = make_world(app);
  auto bulk = create_product_id(app, w.vendor2.access_token, product_body("Screws", 3, 2000, w.category));

  // 600 + 401 = 1001 of one product: named by its first line (index 1), nothing taken.
  auto over = place_order(app, w.alice.access_token, {{w.mug, 1}, {bulk, 600}, {w.lamp, 1}, {bulk, 401}});
  EXPECT_EQ(over.status, 400) << over.body;
  EXPECT_EQ(code_of(over), "validation_failed");
  EXPECT_EQ(error_fields(over), std::vector<std::string>{"items[1].quantity"}) << over.body;
  EXPECT_EQ(stock_of(app, bulk), 2000);
  EXPECT_EQ(stocks(app, w), initial);
  EXPECT_EQ(order_rows(database()), 0);

  // Exactly 1000 after merging is fine.
  auto at_limit = place_order(app, w.alice.access_token, {{bulk, 500}, {bulk, 500}});
  ASSERT_EQ(at_limit.status, 201) << at_limit.body;
  using Pair = std::pair<std::int64_t, std::int64_t>;
  EXPECT_EQ(items_by_product(body_of(at_limit)), (std::map<std::string, Pair>{{bulk, {1000, 3}}}));
  EXPECT_EQ(stock_of(app, bulk), 1000);
}

TEST_P(OrderPlacementTest, LineAndProductCountLimits) {
  AppHarness app(database(), accounts_config());
  auto w = make_world(app);
  catalog::UuidSource uuids(7);

  // 101 distinct products (none of them need exist: the count is refused first).
  std::vector<Line> many;
  for (int i = 0; i < 101; ++i) many.push_back({uuids.next(), 1});
  auto r = place_order(app, w.alice.access_token, many);
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(error_fields(r), std::vector<std::string>{"items"}) << r.body;

  // 1001 array elements.
  std::vector<Line> long_list(1001, Line{w.lamp, 1});
  r = place_order(app, w.alice.access_token, long_list);
  EXPECT_EQ(r.status, 400) << r.body.substr(0, 500);
  EXPECT_EQ(error_fields(r), std::vector<std::string>{"items"}) << r.body.substr(0, 500);
  EXPECT_EQ(stock_of(app, w.lamp), lamp_stock);

  // 1000 elements of one product: one item of 1000.
  auto bulk = create_product_id(app, w.vendor2.access_token, product_body("Nails", 2, 1500, w.category));
  std::vector<Line> thousand(1000, Line{bulk, 1});
  r = place_order(app, w.alice.access_token, thousand);
  ASSERT_EQ(r.status, 201) << r.body.substr(0, 500);
  using Pair = std::pair<std::int64_t, std::int64_t>;
  EXPECT_EQ(items_by_product(body_of(r)), (std::map<std::string, Pair>{{bulk, {1000, 2}}}));
  EXPECT_EQ(stock_of(app, bulk), 500);
  EXPECT_EQ(order_rows(database()), 1);
}

TEST_P(OrderPlacementTest, BadQuantityIsRefusedNamingItsLine) {
  AppHarness app(database(), accounts_config());
  auto w = make_world(app);
  std::vector<std::pair<std::string, boost::json::value>> cases{
      {"zero", 0}, {"over 1000", 1001}, {"negative", -1}, {"a string", "2"}, {"a fraction", 1.5},
      {"null", boost::json::value(nullptr)}, {"true", true}};
  for (const auto& [label, quantity] : cases) {
    boost::json::object body{
        {"items", boost::json::array{boost::json::object{{"product_id", w.lamp}, {"quantity", 1}},
                                     boost::json::object{{"product_id", w.mug}, {"quantity", quantity}}}}};
    auto r = post_order(app, w.alice.access_token, body);
    EXPECT_EQ(r.status, 400) << label << ": " << r.body;
    EXPECT_EQ(code_of(r), "validation_failed") << label;
    EXPECT_EQ(error_fields(r), std::vector<std::string>{"items[1].quantity"}) << label << ": " << r.body;
  }
  // Missing altogether.
  boost::json::object missing{{"items", boost::json::array{boost::json::object{{"product_id", w.lamp}}}}};
  auto r = post_order(app, w.alice.access_token, missing);
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(error_fields(r), std::vector<std::string>{"items[0].quantity"}) << r.body;

  EXPECT_EQ(stocks(app, w), initial);
  EXPECT_EQ(order_rows(database()), 0);
}

TEST_P(OrderPlacementTest, BadProductIdIsRefusedNamingItsLine) {
  AppHarness app(database(), accounts_config());
  auto w = make_world(app);
  std::vector<std::pair<std::string, boost::json::value>> cases{
      {"not a UUID", "not-a-uuid"},
      {"a UUID with junk", boost::json::string(w.mug + "x")},
      {"empty", ""},
      {"a number", 42},
      {"null", boost::json::value(nullptr)}};
  for (const auto& [label, product_id] : cases) {
    boost::json::object body{
        {"items", boost::json::array{boost::json::object{{"product_id", w.lamp}, {"quantity", 1}},
                                     boost::json::object{{"product_id", product_id}, {"quantity", 1}}}}};
    auto r = post_order(app, w.alice.access_token, body);
    EXPECT_EQ(r.status, 400) << label << ": " << r.body;
    EXPECT_EQ(code_of(r), "validation_failed") << label;
    EXPECT_EQ(error_fields(r), std::vector<std::string>{"items[1].product_id"}) << label << ": " << r.body;
  }
  boost::json::object missing{{"items", boost::json::array{boost::json::object{{"quantity", 1}}}}};
  auto r = post_order(app, w.alice.access_token, missing);
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(error_fields(r), std::vector<std::string>{"items[0].product_id"}) << r.body;

  EXPECT_EQ(stocks(app, w), initial);
  EXPECT_EQ(order_rows(database()), 0);
}

TEST_P(OrderPlacementTest, MissingEmptyOrNonArrayItemsAreRefusedNamingItems) {
  AppHarness app(database(), accounts_config());
  auto w = make_world(app);
  std::vector<std::pair<std::string, boost::json::object>> cases{
      {"missing", {}},
      {"null", {{"items", nullptr}}},
      {"empty", {{"items", boost::json::array{}}}},
      {"a string", {{"items", "lamp"}}},
      {"an object", {{"items", boost::json::object{{"product_id", w.lamp}, {"quantity", 1}}}}},
      {"a number", {{"items", 3}}}};
  for (const auto& [label, body] : cases) {
    auto r = post_order(app, w.alice.access_token, body);
    EXPECT_EQ(r.status, 400) << label << ": " << r.body;
    EXPECT_EQ(code_of(r), "validation_failed") << label;
    EXPECT_EQ(error_fields(r), std::vector<std::string>{"items"}) << label << ": " << r.body;
  }
  EXPECT_EQ(order_rows(database()), 0);
}

TEST_P(OrderPlacementTest, UnknownOrDeletedProductIsRefusedAndTakesNoStockFromOtherLines) {
  AppHarness app(database(), accounts_config());
  auto w = make_world(app);
  // Unknown ids below and above every real one: the refusal may come before or after the
  // other lines' stock was taken.
  for (const std::string unknown : {"00000000-0000-4000-8000-000000000000", "ffffffff-ffff-4fff-bfff-ffffffffffff"}) {
    auto r = place_order(app, w.alice.access_token, {{w.lamp, 4}, {unknown, 1}, {w.chair, 2}});
    EXPECT_EQ(r.status, 400) << unknown << ": " << r.body;
    EXPECT_EQ(code_of(r), "validation_failed");
    EXPECT_EQ(error_fields(r), std::vector<std::string>{"items[1].product_id"}) << r.body;
    EXPECT_EQ(stocks(app, w), initial) << unknown;
  }

  auto gone = del(app, "/api/products/" + w.mug, bearer(w.vendor1.access_token));
  ASSERT_EQ(gone.status / 100, 2) << gone.body;
  auto r = place_order(app, w.alice.access_token, {{w.chair, 1}, {w.lamp, 3}, {w.mug, 1}});
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(error_fields(r), std::vector<std::string>{"items[2].product_id"}) << r.body;
  EXPECT_EQ(stock_of(app, w.lamp), lamp_stock);
  EXPECT_EQ(stock_of(app, w.chair), chair_stock);
  EXPECT_EQ(stock_in_table(database(), w.mug), mug_stock);
  EXPECT_EQ(order_rows(database()), 0);
  EXPECT_EQ(item_rows(database()), 0);
}

TEST_P(OrderPlacementTest, ProductsInDifferentCurrenciesAreRefused) {
  AppHarness app(database(), accounts_config());
  auto w = make_world(app);
  auto body = product_body("Euro lamp", 1100, 10, w.category);
  body["currency"] = "eur";
  auto euro = create_product_id(app, w.vendor2.access_token, body);
  ASSERT_FALSE(euro.empty());

  auto r = place_order(app, w.alice.access_token, {{w.lamp, 1}, {euro, 2}});
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(code_of(r), "validation_failed");
  auto fields = error_fields(r);
  ASSERT_EQ(fields.size(), 1u) << r.body;
  EXPECT_TRUE(fields[0] == "items[0].product_id" || fields[0] == "items[1].product_id") << r.body;
  EXPECT_EQ(stock_of(app, euro), 10);
  EXPECT_EQ(stocks(app, w), initial);
  EXPECT_EQ(order_rows(database()), 0);

  // Alone, the euro product is fine, and the order is in its currency.
  auto alone = place_order(app, w.alice.access_token, {{euro, 2}});
  ASSERT_EQ(alone.status, 201) << alone.body;
  EXPECT_EQ(body_of(alone).at("currency"), "eur");
  EXPECT_EQ(body_of(alone).at("total_price"), 2 * 1100);
}

TEST_P(OrderPlacementTest, InsufficientStockIs409WithWhatIsLeftAndKeepsNothing) {
  AppHarness app(database(), accounts_config());
  auto w = make_world(app);
  // Some of the chairs go first.
  ASSERT_EQ(place_order(app, w.bob.access_token, {{w.chair, 25}}).status, 201);
  const std::int64_t chairs_left = chair_stock - 25;

  auto r = place_order(app, w.alice.access_token, {{w.lamp, 3}, {w.mug, 2}, {w.chair, chairs_left + 1}});
  EXPECT_EQ(r.status, 409) << r.body;
  EXPECT_EQ(header_of(r, "Content-Type"), "application/problem+json");
  auto problem = body_of(r);
  EXPECT_EQ(problem.at("code"), "insufficient_stock");
  EXPECT_EQ(problem.at("status"), 409);
  ASSERT_TRUE(problem.contains("product_id")) << r.body;
  EXPECT_EQ(str(problem.at("product_id")), w.chair);
  ASSERT_TRUE(problem.contains("available")) << r.body;
  EXPECT_EQ(problem.at("available"), chairs_left);
  EXPECT_EQ(error_fields(r), std::vector<std::string>{"items[2].quantity"}) << r.body;

  EXPECT_EQ(stocks(app, w), (Stocks{lamp_stock, mug_stock, chairs_left}));
  EXPECT_EQ(order_rows_of(database(), w.alice.user_id), 0);
  EXPECT_EQ(item_rows(database()), 1);

  // Exactly what is left can be bought.
  auto rest = place_order(app, w.alice.access_token, {{w.chair, chairs_left}});
  ASSERT_EQ(rest.status, 201) << rest.body;
  EXPECT_EQ(stock_of(app, w.chair), 0);
  auto none = place_order(app, w.alice.access_token, {{w.chair, 1}});
  EXPECT_EQ(none.status, 409) << none.body;
  EXPECT_EQ(body_of(none).at("available"), 0);
}

TEST_P(OrderPlacementTest, MassAssignmentIsRefusedNamingEachField) {
  AppHarness app(database(), accounts_config());
  auto w = make_world(app);
  auto lines = items_body({{w.lamp, 1}});

  for (const auto& [field, value] : std::vector<std::pair<std::string, boost::json::value>>{
           {"status", "delivered"}, {"total_price", 1}, {"user_id", boost::json::string(w.bob.user_id)}, {"currency", "usd"}}) {
    auto body = lines;
    body[field] = value;
    auto r = post_order(app, w.alice.access_token, body);
    EXPECT_EQ(r.status, 400) << field << ": " << r.body;
    EXPECT_EQ(code_of(r), "validation_failed");
    EXPECT_EQ(error_fields(r), std::vector<std::string>{std::string(field)}) << r.body;
  }

  // All at once, and inside the items: every one named.
  boost::json::object body{
      {"status", "paid"},
      {"total_price", 0},
      {"user_id", w.bob.user_id},
      {"currency", "usd"},
      {"items", boost::json::array{
                    boost::json::object{{"product_id", w.lamp}, {"quantity", 1}, {"price_at_purchase", 1}},
                    boost::json::object{{"product_id", w.mug}, {"quantity", 1}, {"price", 1}}}}};
  auto r = post_order(app, w.alice.access_token, body);
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(field_set(r), (std::set<std::string>{"status", "total_price", "user_id", "currency",
                                                  "items[0].price_at_purchase", "items[1].price"}))
      << r.body;

  EXPECT_EQ(stocks(app, w), initial);
  EXPECT_EQ(order_rows(database()), 0);
}

TEST_P(OrderPlacementTest, PricesComeFromTheCatalogAndStayWhenTheCatalogChanges) {
  AppHarness app(database(), accounts_config());
  auto w = make_world(app);
  auto r = place_order(app, w.alice.access_token, {{w.lamp, 2}});
  ASSERT_EQ(r.status, 201) << r.body;
  auto id = str(body_of(r).at("id"));

  auto repriced = put(app, "/api/products/" + w.lamp, {{"price", 9999}}, bearer(w.vendor1.access_token));
  ASSERT_EQ(repriced.status, 200) << repriced.body;

  auto before = get_order(app, w.alice.access_token, id);
  ASSERT_EQ(before.status, 200) << before.body;
  EXPECT_EQ(body_of(before).at("total_price"), 2 * lamp_price);
  EXPECT_EQ(body_of(before).at("items").as_array().at(0).at("price_at_purchase"), lamp_price);

  auto after = place_order(app, w.alice.access_token, {{w.lamp, 2}});
  ASSERT_EQ(after.status, 201) << after.body;
  EXPECT_EQ(body_of(after).at("total_price"), 2 * 9999);
  EXPECT_EQ(body_of(after).at("items").as_array().at(0).at("price_at_purchase"), 9999);
}

TEST_P(OrderPlacementTest, OnlyVerifiedCustomersPlaceOrders) {
  AppHarness app(database(), accounts_config());
  auto w = make_world(app);
  auto unverified = mercato::testing::catalog::customer_session(app, "carol@example.com");
  auto body = items_body({{w.lamp, 1}});

  for (const auto& [who, token] : std::vector<std::pair<std::string, std::string>>{
           {"vendor", w.vendor1.access_token}, {"admin", w.admin.access_token}}) {
    auto r = post_order(app, token, body);
    EXPECT_EQ(r.status, 403) << who << ": " << r.body;
    EXPECT_EQ(code_of(r), "forbidden") << who;
  }
  auto r = post_order(app, unverified.access_token, body);
  EXPECT_EQ(r.status, 403) << r.body;
  EXPECT_EQ(code_of(r), "email_not_verified");

  auto anonymous = accounts::post(app, "/api/orders", body);
  EXPECT_EQ(anonymous.status, 401) << anonymous.body;
  auto forged = accounts::post(app, "/api/orders", body, bearer("not.a.token"));
  EXPECT_EQ(forged.status, 401) << forged.body;

  EXPECT_EQ(stocks(app, w), initial);
  EXPECT_EQ(order_rows(database()), 0);
}

MERCATO_ORDERS_BACKENDS(OrderPlacementTest);
