// Idempotency-Key on POST /api/orders: replays answer the first order (current state)
// without taking stock again; another body under the key is 422; failed requests free the
// key; keys are per user, checked for shape, expire after 24 h; duplicates sent at once
// never make two orders.

#include <gtest/gtest.h>

#include <map>

#include "integration/orders/orders_test_support.hpp"

using namespace mercato;
using namespace mercato::testing::orders;
using mercato::testing::AppHarness;
namespace accounts = mercato::testing::accounts;

namespace {

class OrderIdempotencyTest : public mercato::testing::orders::OrdersTest {};

std::string id_of(const http::Response& r) { return str(body_of(r).at("id")); }

bool replayed(const http::Response& r) { return header_of(r, "Idempotent-Replayed") == "true"; }

}  // namespace

TEST_P(OrderIdempotencyTest, SameKeyAndBodyReplaysTheOrderWithoutTakingStockAgain) {
  AppHarness app(database(), accounts_config());
  auto w = make_world(app);
  const std::vector<Line> lines{{w.lamp, 2}, {w.chair, 1}};

  auto first = place_order(app, w.alice.access_token, lines, "order-2026-11-25-a");
  ASSERT_EQ(first.status, 201) << first.body;
  EXPECT_FALSE(has_header(first, "Idempotent-Replayed")) << "the first answer is no replay";
  auto id = id_of(first);

  auto second = place_order(app, w.alice.access_token, lines, "order-2026-11-25-a");
  ASSERT_EQ(second.status, 201) << second.body;
  EXPECT_EQ(id_of(second), id);
  EXPECT_EQ(header_of(second, "Idempotent-Replayed"), "true");
  EXPECT_EQ(header_of(second, "Location"), "/api/orders/" + id);
  EXPECT_EQ(normalized(body_of(second)), normalized(body_of(first))) << "the same order, unchanged so far";

  EXPECT_EQ(stock_of(app, w.lamp), lamp_stock - 2);
  EXPECT_EQ(stock_of(app, w.chair), chair_stock - 1);
  EXPECT_EQ(order_rows(database()), 1);
  EXPECT_EQ(item_rows(database()), 2);

  // The replay answers the order as it is now.
  ASSERT_EQ(set_status(app, w.admin.access_token, id, "paid").status, 200);
  auto third = place_order(app, w.alice.access_token, lines, "order-2026-11-25-a");
  ASSERT_EQ(third.status, 201) << third.body;
  EXPECT_TRUE(replayed(third));
  EXPECT_EQ(id_of(third), id);
  EXPECT_EQ(body_of(third).at("status"), "paid");
  EXPECT_EQ(order_rows(database()), 1);

  // Without a key, the same body is another order.
  auto keyless = place_order(app, w.alice.access_token, lines);
  ASSERT_EQ(keyless.status, 201) << keyless.body;
  EXPECT_NE(id_of(keyless), id);
  EXPECT_EQ(order_rows(database()), 2);
}

TEST_P(OrderIdempotencyTest, ReorderedOrSplitLinesAreTheSameRequest) {
  AppHarness app(database(), accounts_config());
  auto w = make_world(app);
  auto first = place_order(app, w.alice.access_token, {{w.lamp, 5}, {w.mug, 1}, {w.chair, 2}}, "k1");
  ASSERT_EQ(first.status, 201) << first.body;
  auto id = id_of(first);

  for (const auto& lines : std::vector<std::vector<Line>>{
           {{w.chair, 2}, {w.mug, 1}, {w.lamp, 5}},
           {{w.lamp, 2}, {w.chair, 1}, {w.mug, 1}, {w.lamp, 3}, {w.chair, 1}},
           {{w.mug, 1}, {w.lamp, 1}, {w.lamp, 1}, {w.lamp, 1}, {w.lamp, 1}, {w.lamp, 1}, {w.chair, 2}}}) {
    auto r = place_order(app, w.alice.access_token, lines, "k1");
    EXPECT_EQ(r.status, 201) << r.body;
    EXPECT_TRUE(replayed(r)) << r.body;
    EXPECT_EQ(id_of(r), id);
  }
  EXPECT_EQ(stock_of(app, w.lamp), lamp_stock - 5);
  EXPECT_EQ(stock_of(app, w.mug), mug_stock - 1);
  EXPECT_EQ(stock_of(app, w.chair), chair_stock - 2);
  EXPECT_EQ(order_rows(database()), 1);
}

TEST_P(OrderIdempotencyTest, SameKeyWithAnotherBodyIs422AndChangesNothing) {
  AppHarness app(database(), accounts_config());
  auto w = make_world(app);
  auto first = place_order(app, w.alice.access_token, {{w.lamp, 2}}, "k1");
  ASSERT_EQ(first.status, 201) << first.body;

  for (const auto& lines : std::vector<std::vector<Line>>{
           {{w.lamp, 3}}, {{w.lamp, 2}, {w.mug, 1}}, {{w.mug, 2}}, {{w.lamp, 1}}}) {
    auto r = place_order(app, w.alice.access_token, lines, "k1");
    EXPECT_EQ(r.status, 422) << r.body;
    EXPECT_EQ(code_of(r), "idempotency_key_reused");
    EXPECT_EQ(header_of(r, "Content-Type"), "application/problem+json");
  }
  EXPECT_EQ(stock_of(app, w.lamp), lamp_stock - 2);
  EXPECT_EQ(stock_of(app, w.mug), mug_stock);
  EXPECT_EQ(order_rows(database()), 1);

  // The key still answers its own order.
  auto again = place_order(app, w.alice.access_token, {{w.lamp, 2}}, "k1");
  ASSERT_EQ(again.status, 201) << again.body;
  EXPECT_TRUE(replayed(again));
  EXPECT_EQ(id_of(again), id_of(first));
}

TEST_P(OrderIdempotencyTest, KeysOfDifferentUsersNeverCollide) {
  AppHarness app(database(), accounts_config());
  auto w = make_world(app);
  auto alice = place_order(app, w.alice.access_token, {{w.lamp, 1}}, "shared-key");
  auto bob = place_order(app, w.bob.access_token, {{w.lamp, 1}}, "shared-key");
  ASSERT_EQ(alice.status, 201) << alice.body;
  ASSERT_EQ(bob.status, 201) << bob.body;
  EXPECT_FALSE(has_header(bob, "Idempotent-Replayed"));
  EXPECT_NE(id_of(alice), id_of(bob));
  EXPECT_EQ(str(body_of(bob).at("user_id")), w.bob.user_id);
  // Another body under the other user's key is no reuse either.
  auto bob2 = place_order(app, w.bob.access_token, {{w.mug, 1}}, "alice-only");
  auto alice2 = place_order(app, w.alice.access_token, {{w.chair, 1}}, "alice-only");
  EXPECT_EQ(bob2.status, 201) << bob2.body;
  EXPECT_EQ(alice2.status, 201) << alice2.body;
  EXPECT_EQ(order_rows_of(database(), w.alice.user_id), 2);
  EXPECT_EQ(order_rows_of(database(), w.bob.user_id), 2);
  EXPECT_EQ(stock_of(app, w.lamp), lamp_stock - 2);
}

TEST_P(OrderIdempotencyTest, AFailedRequestFreesTheKey) {
  AppHarness app(database(), accounts_config());
  auto w = make_world(app);

  // Not enough chairs: 409, then the vendor restocks and the same request goes through.
  auto short_of = place_order(app, w.alice.access_token, {{w.chair, chair_stock + 5}}, "retry-me");
  ASSERT_EQ(short_of.status, 409) << short_of.body;
  EXPECT_EQ(code_of(short_of), "insufficient_stock");
  auto again = place_order(app, w.alice.access_token, {{w.chair, chair_stock + 5}}, "retry-me");
  EXPECT_EQ(again.status, 409) << "still short, and not taken for a request in progress: " << again.body;
  EXPECT_EQ(code_of(again), "insufficient_stock");
  auto restocked = put(app, "/api/products/" + w.chair, {{"stock_quantity", chair_stock + 10}},
                       bearer(w.vendor2.access_token));
  ASSERT_EQ(restocked.status, 200) << restocked.body;
  auto placed = place_order(app, w.alice.access_token, {{w.chair, chair_stock + 5}}, "retry-me");
  ASSERT_EQ(placed.status, 201) << placed.body;
  EXPECT_FALSE(has_header(placed, "Idempotent-Replayed"));
  EXPECT_EQ(stock_of(app, w.chair), 5);

  // An unknown product (refused after the key was claimed): the key is free for another body.
  auto unknown = place_order(app, w.alice.access_token, {{"00000000-0000-4000-8000-000000000000", 1}}, "second");
  ASSERT_EQ(unknown.status, 400) << unknown.body;
  auto other = place_order(app, w.alice.access_token, {{w.mug, 2}}, "second");
  ASSERT_EQ(other.status, 201) << other.body;
  EXPECT_FALSE(has_header(other, "Idempotent-Replayed"));

  // A body refused outright: the key was never used.
  auto invalid = place_order(app, w.alice.access_token, {{w.lamp, 0}}, "third");
  ASSERT_EQ(invalid.status, 400) << invalid.body;
  auto valid = place_order(app, w.alice.access_token, {{w.lamp, 1}}, "third");
  ASSERT_EQ(valid.status, 201) << valid.body;

  EXPECT_EQ(order_rows(database()), 3);
  EXPECT_EQ(stock_of(app, w.mug), mug_stock - 2);
  EXPECT_EQ(stock_of(app, w.lamp), lamp_stock - 1);
}

TEST_P(OrderIdempotencyTest, KeyShapeIsChecked) {
  AppHarness app(database(), accounts_config());
  auto w = make_world(app);
  const std::vector<Line> lines{{w.lamp, 1}};
  for (const auto& [label, key] : std::vector<std::pair<std::string, std::string>>{
           {"256 characters", std::string(256, 'k')},
           {"a space", "two words"},
           {"empty", ""},
           {"empty quoted", "\"\""},
           {"a tab", "tab\there"},
           {"not ASCII", "cl\xc3\xa9"},
           {"quoted, 256 inside", "\"" + std::string(256, 'q') + "\""}}) {
    auto r = place_order(app, w.alice.access_token, lines, key);
    EXPECT_EQ(r.status, 400) << label << ": " << r.body;
    EXPECT_EQ(code_of(r), "validation_failed") << label;
    EXPECT_EQ(error_fields(r), std::vector<std::string>{"Idempotency-Key"}) << label << ": " << r.body;
  }
  EXPECT_EQ(stock_of(app, w.lamp), lamp_stock);
  EXPECT_EQ(order_rows(database()), 0);

  // 255 visible characters are fine; so is a quoted key, which is the key without quotes.
  auto longest = place_order(app, w.alice.access_token, lines, std::string(255, 'k'));
  EXPECT_EQ(longest.status, 201) << longest.body;
  auto quoted = place_order(app, w.alice.access_token, lines, "\"d1f0e0c2-key\"");
  ASSERT_EQ(quoted.status, 201) << quoted.body;
  auto bare = place_order(app, w.alice.access_token, lines, "d1f0e0c2-key");
  ASSERT_EQ(bare.status, 201) << bare.body;
  EXPECT_TRUE(replayed(bare));
  EXPECT_EQ(id_of(bare), id_of(quoted));
  auto symbols = place_order(app, w.alice.access_token, lines, "!#$%&'()*+,-./:;<=>?@[\\]^_`{|}~");
  EXPECT_EQ(symbols.status, 201) << symbols.body;
  EXPECT_EQ(order_rows(database()), 3);
}

TEST_P(OrderIdempotencyTest, DuplicatesSentAtOnceMakeOneOrder) {
  AppHarness app(database(), accounts_config());
  auto w = make_world(app);
  constexpr int threads = 8;
  constexpr int rounds = 4;
  for (int round = 0; round < rounds; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    auto key = "burst-" + std::to_string(round);
    const std::vector<Line> lines{{w.mug, 1}, {w.lamp, 2}};
    auto responses = at_once(threads, [&](int) { return place_order_concurrently(app, w.alice.access_token, lines, key); });

    std::set<std::string> ids;
    int created = 0;
    for (const auto& r : responses) {
      if (r.status == 201) {
        ++created;
        ids.insert(id_of(r));
      } else {
        EXPECT_EQ(r.status, 409) << r.body;
        EXPECT_EQ(code_of(r), "idempotency_key_in_use") << r.body;
      }
    }
    EXPECT_GE(created, 1);
    EXPECT_EQ(ids.size(), 1u) << "all 201 answers name one order";
    EXPECT_EQ(order_rows(database()), round + 1);
    EXPECT_EQ(stock_of(app, w.mug), mug_stock - (round + 1));
    EXPECT_EQ(stock_of(app, w.lamp), lamp_stock - 2 * (round + 1));

    // Afterwards the key replays that order.
    auto later = place_order(app, w.alice.access_token, lines, key);
    ASSERT_EQ(later.status, 201) << later.body;
    EXPECT_TRUE(replayed(later));
    if (!ids.empty()) {
      EXPECT_EQ(id_of(later), *ids.begin());
    }
  }
}

TEST_P(OrderIdempotencyTest, KeysExpireAfter24Hours) {
  AppHarness app(database(), accounts_config());
  auto w = make_world(app);
  auto first = place_order(app, w.alice.access_token, {{w.lamp, 1}}, "daily");
  ASSERT_EQ(first.status, 201) << first.body;

  // Shortly before the day is over, the key is still taken.
  app.clock().advance(std::chrono::hours(23) + std::chrono::minutes(59));
  auto alice = accounts::login(app, "alice@example.com", "password1");  // the first access token has expired
  auto early = place_order(app, alice.access_token, {{w.lamp, 2}}, "daily");
  EXPECT_EQ(early.status, 422) << early.body;
  EXPECT_EQ(code_of(early), "idempotency_key_reused");

  app.clock().advance(std::chrono::minutes(2));
  alice = accounts::login(app, "alice@example.com", "password1");
  auto later = place_order(app, alice.access_token, {{w.lamp, 2}}, "daily");
  ASSERT_EQ(later.status, 201) << later.body;
  EXPECT_FALSE(has_header(later, "Idempotent-Replayed"));
  EXPECT_NE(id_of(later), id_of(first));
  // And from now on the key is the new order's.
  auto replay = place_order(app, alice.access_token, {{w.lamp, 2}}, "daily");
  ASSERT_EQ(replay.status, 201) << replay.body;
  EXPECT_TRUE(replayed(replay));
  EXPECT_EQ(id_of(replay), id_of(later));

  EXPECT_EQ(order_rows(database()), 2);
  EXPECT_EQ(stock_of(app, w.lamp), lamp_stock - 3);
}

MERCATO_ORDERS_BACKENDS(OrderIdempotencyTest);
