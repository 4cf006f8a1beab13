// Orders racing for stock and for one order's cancellation: stock never goes negative, never
// sells more than there is, an order is placed whole or not at all, overlapping orders do not
// deadlock, and a cancellation gives the stock back once.
// Requests go through call_from, which (unlike AppHarness::call) leaves the clock alone, so
// the threads share nothing but the application.

#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "integration/orders/orders_test_support.hpp"

using namespace mercato;
using namespace mercato::testing::orders;
using mercato::testing::AppHarness;
namespace catalog = mercato::testing::catalog;

namespace {

class OrderConcurrencyTest : public mercato::testing::orders::OrdersTest {};

std::vector<Session> customers(AppHarness& app, int n, const std::string& prefix) {
  std::vector<Session> out;
  for (int i = 0; i < n; ++i)
    out.push_back(catalog::verified_session(app, prefix + std::to_string(i) + "@example.com", "customer"));
  return out;
}

std::map<int, int> status_counts(const std::vector<http::Response>& responses) {
  std::map<int, int> out;
  for (const auto& r : responses) ++out[r.status];
  return out;
}

std::string counts_text(const std::map<int, int>& counts) {
  std::string out;
  for (const auto& [status, n] : counts) out += std::to_string(status) + ": " + std::to_string(n) + "  ";
  return out;
}

}  // namespace

TEST_P(OrderConcurrencyTest, FiftyBuyersForTenUnitsMakeExactlyTenOrders) {
  AppHarness app(database(), accounts_config());
  auto w = make_world(app);
  auto buyers = customers(app, 50, "buyer");
  ASSERT_FALSE(::testing::Test::HasFailure());
  auto scarce = create_product_id(app, w.vendor1.access_token, product_body("Signed print", 4500, 10, w.category));
  ASSERT_FALSE(scarce.empty());

  auto responses = at_once(50, [&](int i) {
    return place_order_concurrently(app, buyers[static_cast<std::size_t>(i)].access_token, {{scarce, 1}});
  });

  auto counts = status_counts(responses);
  EXPECT_EQ(counts[201], 10) << counts_text(counts);
  EXPECT_EQ(counts[409], 40) << counts_text(counts);
  std::set<std::string> owners;
  for (std::size_t i = 0; i < responses.size(); ++i) {
    const auto& r = responses[i];
    if (r.status == 201) {
      auto order = body_of(r);
      EXPECT_EQ(str(order.at("user_id")), buyers[i].user_id);
      EXPECT_EQ(order.at("total_price"), 4500);
      owners.insert(buyers[i].user_id);
    } else if (r.status == 409) {
      EXPECT_EQ(code_of(r), "insufficient_stock") << r.body;
      EXPECT_EQ(body_of(r).at("available"), 0) << r.body;
    } else {
      ADD_FAILURE() << "buyer " << i << ": " << r.status << " " << r.body;
    }
  }
  EXPECT_EQ(owners.size(), 10u);
  EXPECT_EQ(stock_in_table(database(), scarce), 0);
  EXPECT_EQ(stock_of(app, scarce), 0);
  EXPECT_EQ(order_rows(database()), 10);
  EXPECT_EQ(ordered_quantity(database(), scarce), 10);
}

TEST_P(OrderConcurrencyTest, OverlappingMultiLineOrdersNeverDeadlockAndArePlacedWholeOrNotAtAll) {
  AppHarness app(database(), accounts_config());
  auto w = make_world(app);
  auto buyers = customers(app, 6, "multi");
  ASSERT_FALSE(::testing::Test::HasFailure());
  constexpr int threads = 30;
  constexpr std::int64_t stock = 20;

  // Round 1: one of each of two products per order; every product is asked for 20 times,
  // exactly its stock, so every order goes through. Round 2: two of each, so about half fail.
  for (std::int64_t quantity : {1, 2}) {
    SCOPED_TRACE("quantity " + std::to_string(quantity));
    std::vector<std::string> products;
    for (const auto* name : {"A", "B", "C"})
      products.push_back(create_product_id(
          app, w.vendor1.access_token,
          product_body(std::string("Part ") + name + std::to_string(quantity), 100 * quantity, stock, w.category)));
    const auto &a = products[0], &b = products[1], &c = products[2];
    const std::vector<std::pair<std::string, std::string>> pairs{{a, b}, {b, c}, {c, a}, {b, a}, {c, b}, {a, c}};

    auto responses = at_once(threads, [&](int i) {
      const auto& [first, second] = pairs[static_cast<std::size_t>(i) % pairs.size()];
      return place_order_concurrently(app, buyers[static_cast<std::size_t>(i) % buyers.size()].access_token,
                                      {{first, quantity}, {second, quantity}});
    });

    auto counts = status_counts(responses);
    std::map<std::string, std::int64_t> sold;
    for (std::size_t i = 0; i < responses.size(); ++i) {
      const auto& r = responses[i];
      const auto& [first, second] = pairs[i % pairs.size()];
      if (r.status == 201) {
        using Pair = std::pair<std::int64_t, std::int64_t>;
        auto items = items_by_product(body_of(r));
        EXPECT_EQ(items, (std::map<std::string, Pair>{{first, {quantity, 100 * quantity}},
                                                      {second, {quantity, 100 * quantity}}}));
        sold[first] += quantity;
        sold[second] += quantity;
      } else {
        EXPECT_EQ(r.status, 409) << "thread " << i << ": " << r.body;
        EXPECT_EQ(code_of(r), "insufficient_stock") << r.body;
      }
    }
    if (quantity == 1) {
      EXPECT_EQ(counts[201], threads) << counts_text(counts);
    } else {
      EXPECT_GE(counts[201], 1) << counts_text(counts);
    }

    for (const auto& p : products) {
      auto left = stock_in_table(database(), p);
      EXPECT_GE(left, 0);
      EXPECT_EQ(left + sold[p], stock) << "stock left plus what the 201 answers sold";
      EXPECT_EQ(left + ordered_quantity(database(), p), stock) << "stock left plus what the orders hold";
      if (quantity == 1) {
        EXPECT_EQ(left, 0);
      }
    }
    // No refusal was spurious: stock only goes down, so a refused pair still finds fewer
    // than it asked for of one of its products.
    for (std::size_t i = 0; i < responses.size(); ++i) {
      if (responses[i].status == 201) continue;
      const auto& [first, second] = pairs[i % pairs.size()];
      EXPECT_TRUE(stock_in_table(database(), first) < quantity || stock_in_table(database(), second) < quantity)
          << "thread " << i << " was refused although both products were left";
    }
    auto placed = count_of(database(),
                           "SELECT COUNT(DISTINCT i.order_id) FROM order_items i WHERE i.product_id IN ($1, $2, $3)",
                           {a, b, c});
    EXPECT_EQ(placed, counts[201]);
    // Every placed order holds both of its lines.
    EXPECT_EQ(count_of(database(),
                       "SELECT COUNT(*) FROM order_items i WHERE i.product_id IN ($1, $2, $3)", {a, b, c}),
              2 * counts[201]);
  }
}

TEST_P(OrderConcurrencyTest, TwoRacingCancelsReturnTheStockOnce) {
  AppHarness app(database(), accounts_config());
  auto w = make_world(app);
  constexpr int rounds = 8;
  for (int round = 0; round < rounds; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    auto id = placed_order_id(app, w.alice.access_token, {{w.lamp, 3}, {w.chair, 2}});
    ASSERT_FALSE(id.empty());
    if (round % 2 == 1) {
      ASSERT_EQ(set_status(app, w.admin.access_token, id, "paid").status, 200);
    }
    // The owner twice, or the owner and the admin.
    auto responses = at_once(2, [&](int i) {
      const auto& token = (i == 1 && round % 4 >= 2) ? w.admin.access_token : w.alice.access_token;
      return call_from(app, "127.0.0.1", http::Method::delete_, "/api/orders/" + id, {}, bearer(token));
    });
    auto counts = status_counts(responses);
    EXPECT_EQ(counts[200], 1) << counts_text(counts);
    EXPECT_EQ(counts[409], 1) << counts_text(counts);
    for (const auto& r : responses)
      if (r.status == 409) {
        EXPECT_EQ(code_of(r), "invalid_transition") << r.body;
      }
    EXPECT_EQ(stock_of(app, w.lamp), lamp_stock) << "stock returned exactly once";
    EXPECT_EQ(stock_of(app, w.chair), chair_stock);
    EXPECT_EQ(count_of(database(),
                       "SELECT COUNT(*) FROM order_status_history WHERE order_id = $1 AND to_status = 'cancelled'", {id}),
              1);
  }
}

TEST_P(OrderConcurrencyTest, ShippingAndCancellingAtOnceLeaveOneWinner) {
  AppHarness app(database(), accounts_config());
  auto w = make_world(app);
  constexpr int rounds = 6;
  int cancelled_rounds = 0;
  for (int round = 0; round < rounds; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    auto before = stock_of(app, w.chair);
    auto id = placed_order_id(app, w.alice.access_token, {{w.chair, 2}});
    ASSERT_FALSE(id.empty());
    ASSERT_EQ(set_status(app, w.admin.access_token, id, "paid").status, 200);
    auto responses = at_once(2, [&](int i) {
      if (i == 0)
        return call_from(app, "127.0.0.1", http::Method::put, "/api/orders/" + id + "/status",
                         json({{"status", "shipped"}}), bearer(w.admin.access_token));
      return call_from(app, "127.0.0.1", http::Method::delete_, "/api/orders/" + id, {}, bearer(w.alice.access_token));
    });
    const auto& ship = responses[0];
    const auto& cancel = responses[1];
    ASSERT_TRUE((ship.status == 200 && cancel.status == 409) || (ship.status == 409 && cancel.status == 200))
        << "ship " << ship.status << " " << ship.body << "; cancel " << cancel.status << " " << cancel.body;
    const auto& loser = ship.status == 409 ? ship : cancel;
    EXPECT_EQ(code_of(loser), "invalid_transition");
    bool was_cancelled = cancel.status == 200;
    cancelled_rounds += was_cancelled;
    auto order = get_order(app, w.alice.access_token, id);
    EXPECT_EQ(str(body_of(order).at("status")), was_cancelled ? "cancelled" : "shipped");
    EXPECT_EQ(stock_of(app, w.chair), was_cancelled ? before : before - 2);
    EXPECT_EQ(count_of(database(), "SELECT COUNT(*) FROM order_status_history WHERE order_id = $1", {id}), 3);
  }
  RecordProperty("cancelled_rounds", cancelled_rounds);
}

// Placing takes stock product by product; cancelling gives it back product by product. Done
// in different orders, two such transactions on PostgreSQL wait for each other (a deadlock,
// answered 503 once the retries are spent). The orders cancelled here are chosen so that
// their items, in item id order (the order every read lists them in), name the products in
// the other order than placements over the same products would take them. On PostgreSQL the
// application's pool detects deadlocks after 50 ms instead of 1 s (where the server lets the
// test user set it), so that several rounds fit in a second.
TEST_P(OrderConcurrencyTest, CancellationsAndPlacementsOverTheSameProductsAllGoThrough) {
  std::unique_ptr<db::Database> quick;
  if (backend() == mercato::testing::Backend::postgres) {
    try {
      quick = db::open_database(db_->url() + "%20-cdeadlock_timeout%3D50ms",
                                {.max_connections = 8, .acquire_timeout = std::chrono::seconds(30)});
      quick->acquire()->execute("SELECT 1");
    } catch (const std::exception&) {
      quick.reset();  // not allowed: the default of 1 s, only slower
    }
  }
  AppHarness app(quick ? *quick : database(), accounts_config());
  auto w = make_world(app);
  constexpr std::int64_t stock = 500;
  constexpr int rounds = 4;
  auto a = create_product_id(app, w.vendor1.access_token, product_body("Bolt", 50, stock, w.category));
  auto b = create_product_id(app, w.vendor2.access_token, product_body("Nut", 20, stock, w.category));
  const auto& low = std::min(a, b);

  for (int round = 0; round < rounds; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    std::vector<std::pair<std::string, const Session*>> reversed;  // order id, owner
    for (int i = 0; i < 24 && reversed.size() < 10; ++i) {
      const auto& owner = i % 2 ? w.alice : w.bob;
      auto r = place_order(app, owner.access_token, {{a, 1}, {b, 1}});
      ASSERT_EQ(r.status, 201) << r.body;
      auto items = body_of(r).at("items").as_array();
      ASSERT_EQ(items.size(), 2u);
      const auto& first_by_id = str(items[0].at("id")) < str(items[1].at("id")) ? items[0] : items[1];
      if (str(first_by_id.at("product_id")) != low) reversed.emplace_back(str(body_of(r).at("id")), &owner);
    }
    ASSERT_GE(reversed.size(), 2u) << "too few orders with items against product order; rerun";
    const auto live_before = ordered_quantity(database(), a);
    const int pairs = static_cast<int>(reversed.size());

    auto responses = at_once(2 * pairs, [&](int i) {
      if (i % 2 == 0) {
        const auto& [id, owner] = reversed[static_cast<std::size_t>(i / 2)];
        return call_from(app, "127.0.0.1", http::Method::delete_, "/api/orders/" + id, {}, bearer(owner->access_token));
      }
      std::vector<Line> lines = (i / 2) % 2 ? std::vector<Line>{{a, 1}, {b, 1}} : std::vector<Line>{{b, 1}, {a, 1}};
      return place_order_concurrently(app, w.alice.access_token, lines);
    });
    int refused = 0;
    for (std::size_t i = 0; i < responses.size(); ++i) {
      if (responses[i].status == (i % 2 == 0 ? 200 : 201)) continue;
      ++refused;
      ADD_FAILURE() << (i % 2 == 0 ? "cancel " : "placement ") << i / 2 << ": " << responses[i].status << " "
                    << responses[i].body;
    }

    // Whatever the answers, the books balance: stock left plus what live orders hold.
    EXPECT_EQ(stock_of(app, a) + ordered_quantity(database(), a), stock);
    EXPECT_EQ(stock_of(app, b) + ordered_quantity(database(), b), stock);
    if (refused > 0) break;  // one round shows it; the next would only take time
    // With every request through, as many orders live as before.
    EXPECT_EQ(ordered_quantity(database(), a), live_before);
    EXPECT_EQ(ordered_quantity(database(), b), live_before);
  }
}

MERCATO_ORDERS_BACKENDS(OrderConcurrencyTest);
