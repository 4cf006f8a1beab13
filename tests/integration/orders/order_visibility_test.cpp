// Who sees which order: the owner, the admin, a vendor (only its own items, total over them);
// everyone else gets 404, never a hint. Lists: scopes, admin filters, keyset pagination.

#include <gtest/gtest.h>

#include <algorithm>

#include "integration/orders/orders_test_support.hpp"

using namespace mercato;
using namespace mercato::testing::orders;
using mercato::testing::AppHarness;
namespace catalog = mercato::testing::catalog;

namespace {

class OrderVisibilityTest : public mercato::testing::orders::OrdersTest {};

std::vector<std::string> listed_ids(AppHarness& app, const std::string& token, const std::string& query = "") {
  auto r = list_orders(app, token, query);
  if (r.status != 200) {
    ADD_FAILURE() << "GET /api/orders" << query << ": " << r.status << " " << r.body;
    return {};
  }
  auto body = body_of(r);
  EXPECT_TRUE(body.at("next_cursor").is_null()) << "one page expected: " << r.body;
  return catalog::ids_in(body);
}

struct Walked {
  std::vector<std::string> ids;
  std::vector<std::size_t> page_sizes;
  bool ended = false;
};

// Follows next_cursor with the caller's token.
Walked walk_orders(AppHarness& app, const std::string& token, const std::string& query) {
  Walked out;
  std::string target = query;
  for (int page = 0; page < 100; ++page) {
    auto r = list_orders(app, token, target);
    if (r.status != 200) {
      ADD_FAILURE() << target << ": " << r.status << " " << r.body;
      return out;
    }
    auto body = body_of(r);
    auto ids = catalog::ids_in(body);
    out.page_sizes.push_back(ids.size());
    out.ids.insert(out.ids.end(), ids.begin(), ids.end());
    if (body.at("next_cursor").is_null()) {
      out.ended = true;
      return out;
    }
    target = query + "&cursor=" + str(body.at("next_cursor"));
  }
  ADD_FAILURE() << "no end after 100 pages";
  return out;
}

}  // namespace

TEST_P(OrderVisibilityTest, OwnerSeesTheOrderAndOtherCustomersCannotTellItExists) {
  AppHarness app(database(), accounts_config());
  auto w = make_world(app);
  auto id = placed_order_id(app, w.alice.access_token, {{w.lamp, 1}, {w.chair, 2}});
  ASSERT_FALSE(id.empty());

  auto own = get_order(app, w.alice.access_token, id);
  ASSERT_EQ(own.status, 200) << own.body;
  EXPECT_EQ(body_of(own).at("total_price"), lamp_price + 2 * chair_price);
  EXPECT_EQ(body_of(own).at("items").as_array().size(), 2u);
  EXPECT_EQ(listed_ids(app, w.alice.access_token), std::vector<std::string>{id});

  // Bob: not found, whatever he tries; his list is empty.
  auto seen = get_order(app, w.bob.access_token, id);
  EXPECT_EQ(seen.status, 404) << seen.body;
  EXPECT_EQ(code_of(seen), "not_found");
  auto cancelled = cancel_order(app, w.bob.access_token, id);
  EXPECT_EQ(cancelled.status, 404) << cancelled.body;
  EXPECT_EQ(code_of(cancelled), "not_found");
  auto moved = set_status(app, w.bob.access_token, id, "cancelled");
  EXPECT_EQ(moved.status, 403) << moved.body;
  EXPECT_EQ(code_of(moved), "forbidden");
  EXPECT_TRUE(listed_ids(app, w.bob.access_token).empty());
  EXPECT_TRUE(listed_ids(app, w.bob.access_token, "?user_id=" + w.alice.user_id).empty())
      << "a customer's user_id filter is ignored";

  // Nothing changed.
  auto after = get_order(app, w.alice.access_token, id);
  ASSERT_EQ(after.status, 200);
  EXPECT_EQ(body_of(after).at("status"), "pending");
  EXPECT_EQ(stock_of(app, w.lamp), lamp_stock - 1);
  EXPECT_EQ(stock_of(app, w.chair), chair_stock - 2);

  // Unknown, malformed or anonymous.
  EXPECT_EQ(get_order(app, w.alice.access_token, "0190a1b2-0000-7000-8000-000000000000").status, 404);
  EXPECT_EQ(get_order(app, w.alice.access_token, "not-an-id").status, 404);
  EXPECT_EQ(app.get("/api/orders/" + id).status, 401);
  EXPECT_EQ(app.get("/api/orders").status, 401);
}

TEST_P(OrderVisibilityTest, VendorSeesOnlyItsItemsAndTheTotalOverThem) {
  AppHarness app(database(), accounts_config());
  auto w = make_world(app);
  auto vendor3 = catalog::vendor_session(app, "shop3@example.com");
  auto mixed = placed_order_id(app, w.alice.access_token, {{w.lamp, 2}, {w.mug, 1}, {w.chair, 3}});
  auto chairs_only = placed_order_id(app, w.bob.access_token, {{w.chair, 1}});
  ASSERT_FALSE(mixed.empty());
  ASSERT_FALSE(chairs_only.empty());
  using Pair = std::pair<std::int64_t, std::int64_t>;

  auto v1 = get_order(app, w.vendor1.access_token, mixed);
  ASSERT_EQ(v1.status, 200) << v1.body;
  auto v1_order = body_of(v1);
  EXPECT_EQ(keys_of(v1_order), order_keys());
  EXPECT_EQ(items_by_product(v1_order), (std::map<std::string, Pair>{{w.lamp, {2, lamp_price}}, {w.mug, {1, mug_price}}}));
  EXPECT_EQ(v1_order.at("total_price"), 2 * lamp_price + mug_price);
  EXPECT_EQ(str(v1_order.at("user_id")), w.alice.user_id);

  auto v2 = get_order(app, w.vendor2.access_token, mixed);
  ASSERT_EQ(v2.status, 200) << v2.body;
  EXPECT_EQ(items_by_product(body_of(v2)), (std::map<std::string, Pair>{{w.chair, {3, chair_price}}}));
  EXPECT_EQ(body_of(v2).at("total_price"), 3 * chair_price);

  // Vendor 1 sold nothing in Bob's order; vendor 3 nothing at all.
  EXPECT_EQ(get_order(app, w.vendor1.access_token, chairs_only).status, 404);
  auto v3 = get_order(app, vendor3.access_token, mixed);
  EXPECT_EQ(v3.status, 404) << v3.body;
  EXPECT_EQ(code_of(v3), "not_found");
  EXPECT_EQ(cancel_order(app, vendor3.access_token, mixed).status, 404);
  EXPECT_TRUE(listed_ids(app, vendor3.access_token).empty());

  // Lists: the same cut.
  auto list1 = list_orders(app, w.vendor1.access_token);
  ASSERT_EQ(list1.status, 200) << list1.body;
  auto body1 = body_of(list1);
  const auto& data1 = body1.at("data").as_array();
  ASSERT_EQ(data1.size(), 1u) << list1.body;
  EXPECT_EQ(str(data1[0].at("id")), mixed);
  EXPECT_EQ(items_by_product(data1[0].as_object()),
            (std::map<std::string, Pair>{{w.lamp, {2, lamp_price}}, {w.mug, {1, mug_price}}}));
  EXPECT_EQ(data1[0].at("total_price"), 2 * lamp_price + mug_price);

  auto list2 = list_orders(app, w.vendor2.access_token);
  ASSERT_EQ(list2.status, 200) << list2.body;
  auto body2 = body_of(list2);
  const auto& data2 = body2.at("data").as_array();
  ASSERT_EQ(data2.size(), 2u) << list2.body;
  EXPECT_EQ(str(data2[0].at("id")), chairs_only) << "newest first";
  EXPECT_EQ(str(data2[1].at("id")), mixed);
  EXPECT_EQ(data2[0].at("total_price"), chair_price);
  EXPECT_EQ(data2[1].at("total_price"), 3 * chair_price);
  EXPECT_EQ(data2[1].at("items").as_array().size(), 1u);

  // The admin and the owner see the whole order.
  for (const auto* token : {&w.admin.access_token, &w.alice.access_token}) {
    auto full = get_order(app, *token, mixed);
    ASSERT_EQ(full.status, 200) << full.body;
    EXPECT_EQ(body_of(full).at("items").as_array().size(), 3u);
    EXPECT_EQ(body_of(full).at("total_price"), 2 * lamp_price + mug_price + 3 * chair_price);
  }
}

// "user_id from a non-admin is ignored (they only ever see their own scope)": a vendor's
// list is the same with or without it.
TEST_P(OrderVisibilityTest, VendorsUserIdFilterIsIgnored) {
  AppHarness app(database(), accounts_config());
  auto w = make_world(app);
  auto vendor3 = catalog::vendor_session(app, "shop3@example.com");
  auto alices = placed_order_id(app, w.alice.access_token, {{w.lamp, 1}});
  auto bobs = placed_order_id(app, w.bob.access_token, {{w.lamp, 1}, {w.chair, 1}});
  using V = std::vector<std::string>;
  ASSERT_EQ(listed_ids(app, w.vendor1.access_token), (V{bobs, alices}));
  EXPECT_EQ(listed_ids(app, w.vendor1.access_token, "?user_id=" + w.bob.user_id), (V{bobs, alices}));
  EXPECT_EQ(listed_ids(app, w.vendor1.access_token, "?user_id=" + w.vendor1.user_id), (V{bobs, alices}));
  EXPECT_EQ(listed_ids(app, w.vendor2.access_token, "?user_id=" + w.alice.user_id), (V{bobs}));
  EXPECT_TRUE(listed_ids(app, vendor3.access_token, "?user_id=" + w.alice.user_id).empty());
}

TEST_P(OrderVisibilityTest, AdminSeesEveryOrderAndFiltersByStatusAndUser) {
  AppHarness app(database(), accounts_config());
  auto w = make_world(app);
  auto a1 = placed_order_id(app, w.alice.access_token, {{w.lamp, 1}});
  auto b1 = placed_order_id(app, w.bob.access_token, {{w.mug, 1}});
  auto a2 = placed_order_id(app, w.alice.access_token, {{w.chair, 1}});
  ASSERT_EQ(set_status(app, w.admin.access_token, a1, "paid").status, 200);

  using V = std::vector<std::string>;
  EXPECT_EQ(listed_ids(app, w.admin.access_token), (V{a2, b1, a1}));
  EXPECT_EQ(listed_ids(app, w.admin.access_token, "?status=paid"), (V{a1}));
  EXPECT_EQ(listed_ids(app, w.admin.access_token, "?status=pending"), (V{a2, b1}));
  EXPECT_TRUE(listed_ids(app, w.admin.access_token, "?status=shipped").empty());
  EXPECT_EQ(listed_ids(app, w.admin.access_token, "?user_id=" + w.bob.user_id), (V{b1}));
  EXPECT_EQ(listed_ids(app, w.admin.access_token, "?user_id=" + w.alice.user_id), (V{a2, a1}));
  EXPECT_EQ(listed_ids(app, w.admin.access_token, "?user_id=" + w.alice.user_id + "&status=pending"), (V{a2}));
  EXPECT_EQ(listed_ids(app, w.alice.access_token), (V{a2, a1}));
  EXPECT_EQ(listed_ids(app, w.alice.access_token, "?user_id=" + w.bob.user_id), (V{a2, a1}))
      << "a customer's user_id filter is ignored";
  EXPECT_EQ(listed_ids(app, w.bob.access_token), (V{b1}));

  // The admin's view of an order is the whole order.
  auto seen = get_order(app, w.admin.access_token, b1);
  ASSERT_EQ(seen.status, 200) << seen.body;
  EXPECT_EQ(str(body_of(seen).at("user_id")), w.bob.user_id);
  EXPECT_EQ(body_of(seen).at("total_price"), mug_price);
}

TEST_P(OrderVisibilityTest, PaymentStatusIsTheLatestPayments) {
  AppHarness app(database(), accounts_config());
  auto w = make_world(app);
  auto id = placed_order_id(app, w.alice.access_token, {{w.lamp, 1}});
  auto other = placed_order_id(app, w.alice.access_token, {{w.mug, 1}});
  ASSERT_FALSE(id.empty());
  {
    // Payments as the payments issue will write them: a failed attempt, then a newer one.
    catalog::UuidSource uuids(11);
    auto lease = database().acquire();
    const std::string sql =
        "INSERT INTO payments (id, order_id, status, payment_gateway, transaction_id, amount, currency, created_at, "
        "updated_at) VALUES ($1, $2, $3, 'stripe', $4, $5, 'usd', $6, $6)";
    lease->execute(sql, {uuids.next(), id, std::string("failed"), std::string("tx-1"), lamp_price,
                         std::string("2026-11-25T01:00:00.000000Z")});
    lease->execute(sql, {uuids.next(), id, std::string("completed"), std::string("tx-2"), lamp_price,
                         std::string("2026-11-25T02:00:00.000000Z")});
  }
  auto r = get_order(app, w.alice.access_token, id);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(body_of(r).at("payment_status"), "completed") << r.body;
  auto list = list_orders(app, w.admin.access_token);
  ASSERT_EQ(list.status, 200) << list.body;
  auto body = body_of(list);
  for (const auto& order : body.at("data").as_array()) {
    if (str(order.at("id")) == id) {
      EXPECT_EQ(order.at("payment_status"), "completed") << order;
    }
    if (str(order.at("id")) == other) {
      EXPECT_TRUE(order.at("payment_status").is_null()) << order;
    }
  }
}

TEST_P(OrderVisibilityTest, ListsHoldTwentyOrdersUnlessToldOtherwise) {
  AppHarness app(database(), accounts_config());
  auto w = make_world(app);
  std::vector<std::string> ids;
  for (int i = 0; i < 21; ++i) ids.push_back(placed_order_id(app, w.alice.access_token, {{w.mug, 1}}));
  auto r = list_orders(app, w.alice.access_token);
  ASSERT_EQ(r.status, 200) << r.body.substr(0, 300);
  auto body = body_of(r);
  auto page = catalog::ids_in(body);
  ASSERT_EQ(page.size(), 20u);
  EXPECT_EQ(page.front(), ids.back()) << "newest first";
  EXPECT_EQ(page.back(), ids[1]);
  ASSERT_TRUE(body.at("next_cursor").is_string());
  auto rest = listed_ids(app, w.alice.access_token, "?cursor=" + str(body.at("next_cursor")));
  EXPECT_EQ(rest, std::vector<std::string>{ids.front()});
}

TEST_P(OrderVisibilityTest, BadListParametersAreRefused) {
  AppHarness app(database(), accounts_config());
  auto w = make_world(app);
  ASSERT_FALSE(placed_order_id(app, w.alice.access_token, {{w.lamp, 1}}).empty());

  for (const auto& [query, field] : std::vector<std::pair<std::string, std::string>>{
           {"?status=lost", "status"},
           {"?status=PAID", "status"},
           {"?status=", "status"},
           {"?user_id=42", "user_id"},
           {"?limit=0", "limit"},
           {"?limit=101", "limit"},
           {"?limit=ten", "limit"}}) {
    auto r = list_orders(app, w.admin.access_token, query);
    EXPECT_EQ(r.status, 400) << query << ": " << r.body;
    EXPECT_EQ(code_of(r), "validation_failed") << query;
    EXPECT_EQ(error_fields(r), std::vector<std::string>{field}) << query << ": " << r.body;
  }
  for (const std::string cursor : {"garbage", "bm90IGEgY3Vyc29y", "%00"}) {
    for (const auto* token : {&w.admin.access_token, &w.alice.access_token}) {
      auto r = list_orders(app, *token, "?cursor=" + cursor);
      EXPECT_EQ(r.status, 400) << cursor << ": " << r.body;
      EXPECT_EQ(code_of(r), "invalid_cursor") << cursor;
    }
  }
  // limit 1 and 100 are fine.
  EXPECT_EQ(list_orders(app, w.admin.access_token, "?limit=1").status, 200);
  EXPECT_EQ(list_orders(app, w.admin.access_token, "?limit=100").status, 200);
}

TEST_P(OrderVisibilityTest, PagesOfTwoWalkEveryOrderNewestFirstExactlyOnce) {
  AppHarness app(database(), accounts_config());
  auto w = make_world(app);
  // (moment, id) of each order; orders placed through call_from share the moment of the
  // previous call (the harness clock only moves in AppHarness::call), so ties are broken
  // by id, as the contract says.
  struct Placed {
    int moment;
    std::string id;
    bool alice;
  };
  std::vector<Placed> placed;
  int moment = 0;
  auto add = [&](const Session& who, bool same_moment) {
    http::Response r = same_moment ? place_order_concurrently(app, who.access_token, {{w.mug, 1}})
                                   : place_order(app, who.access_token, {{w.mug, 1}});
    ASSERT_EQ(r.status, 201) << r.body;
    if (!same_moment) ++moment;
    placed.push_back({moment, str(body_of(r).at("id")), &who == &w.alice});
  };
  add(w.alice, false);
  add(w.bob, false);
  add(w.alice, false);
  add(w.alice, true);
  add(w.alice, true);
  add(w.bob, true);
  add(w.alice, false);
  add(w.alice, false);
  add(w.bob, false);
  add(w.alice, true);
  ASSERT_EQ(placed.size(), 10u);

  auto newest_first = [](std::vector<Placed> list) {
    std::sort(list.begin(), list.end(), [](const Placed& a, const Placed& b) {
      return a.moment != b.moment ? a.moment > b.moment : a.id > b.id;
    });
    std::vector<std::string> ids;
    for (const auto& p : list) ids.push_back(p.id);
    return ids;
  };
  std::vector<Placed> alices;
  std::copy_if(placed.begin(), placed.end(), std::back_inserter(alices), [](const Placed& p) { return p.alice; });

  auto all = walk_orders(app, w.admin.access_token, "?limit=2");
  EXPECT_TRUE(all.ended);
  EXPECT_EQ(all.ids, newest_first(placed));
  EXPECT_EQ(all.page_sizes, (std::vector<std::size_t>{2, 2, 2, 2, 2}));

  auto own = walk_orders(app, w.alice.access_token, "?limit=2");
  EXPECT_TRUE(own.ended);
  EXPECT_EQ(own.ids, newest_first(alices));
  EXPECT_EQ(own.page_sizes, (std::vector<std::size_t>{2, 2, 2, 1}));

  // The vendor of the mug sold in every order: the same walk, one at a time.
  auto vendor = walk_orders(app, w.vendor1.access_token, "?limit=1");
  EXPECT_TRUE(vendor.ended);
  EXPECT_EQ(vendor.ids, newest_first(placed));

  // A filter stays applied across pages.
  auto filtered = walk_orders(app, w.admin.access_token, "?limit=2&user_id=" + w.alice.user_id);
  EXPECT_EQ(filtered.ids, newest_first(alices));
}

MERCATO_ORDERS_BACKENDS(OrderVisibilityTest);
