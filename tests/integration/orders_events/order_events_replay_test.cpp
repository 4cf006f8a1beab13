// Last-Event-ID: a reconnecting EventSource gets the status changes it missed (from
// order_status_history), first and in order, then the live ones, each once. Event ids are
// the changes' sequence numbers (seq), given in commit order; Last-Event-ID must be one
// (a non-negative decimal integer), anything else replays nothing. More than 200 missed:
// one `resync` event instead of a replay.

#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "integration/orders_events/order_events_test_support.hpp"

using namespace mercato;
using namespace mercato::testing::order_events;
namespace orders = mercato::testing::orders;
using orders::bearer;
using orders::placed_order_id;
using orders::set_status;

namespace {

class OrderEventsReplayTest : public OrderEventsTest {
 protected:
  http::Headers last_event_id(const std::string& id) {
    http::Headers h;
    h.add("Last-Event-ID", id);
    return h;
  }
  std::vector<std::string> ids_of(Subscription& s) {
    std::vector<std::string> ids;
    for (const auto& e : s.events()) ids.push_back(e.id);
    return ids;
  }
  void change(const std::string& order, const std::string& to) {
    auto r = set_status(app(), world().admin.access_token, order, to);
    EXPECT_EQ(r.status, 200) << order << " to " << to << ": " << r.body;
    if (r.status == 200) settle(order, to);  // the hub heard of it before any stream opens
  }
  // `orders` orders of Alice's, each paid, shipped and delivered (3 changes each); the
  // hub has heard of all of them when this returns.
  void many_changes(int orders) {
    const auto& w = world();
    std::string last;
    for (int i = 0; i < orders; ++i) {
      last = placed_order_id(app(), w.alice.access_token, {{i % 4 == 3 ? w.mug : w.lamp, 1}});
      ASSERT_FALSE(last.empty()) << "order " << i;
      for (const char* step : {"paid", "shipped", "delivered"}) {
        auto r = set_status(app(), w.admin.access_token, last, step);
        ASSERT_EQ(r.status, 200) << r.body;
      }
    }
    settle(last, "delivered");  // the hub hears of changes in commit order
  }
};

using Ids = std::vector<std::string>;

std::vector<std::string> as_text(const std::vector<std::int64_t>& numbers) {
  std::vector<std::string> text;
  for (auto n : numbers) text.push_back(std::to_string(n));
  return text;
}

constexpr std::string_view resync_event = "resync";

}  // namespace

TEST_P(OrderEventsReplayTest, MissedEventsComeFirstThenLiveOnes) {
  const auto& w = world();
  auto order = placed_order_id(app(), w.alice.access_token, {{w.lamp, 1}});
  ASSERT_FALSE(order.empty());
  change(order, "paid");
  change(order, "shipped");
  auto first = event_id(order, "paid"), second = event_id(order, "shipped");
  EXPECT_EQ(first, "1") << "the first status change is number 1";
  EXPECT_EQ(second, "2");

  auto& s = open_ok(w.alice, last_event_id(first));
  auto events = s.events();
  ASSERT_EQ(events.size(), 1u) << "replay: " << s.text;
  auto replayed = status_event(events.front());
  ASSERT_TRUE(replayed);
  EXPECT_EQ(replayed->id, second);
  EXPECT_EQ(replayed->order_id, order);
  EXPECT_EQ(replayed->status, "shipped");
  EXPECT_EQ(replayed->previous_status, "paid");
  EXPECT_TRUE(orders::is_timestamp(boost::json::value(replayed->updated_at))) << replayed->updated_at;

  change(order, "delivered");
  ASSERT_TRUE(wait_events(s, 2)) << s.text;
  EXPECT_EQ(ids_of(s), (Ids{second, event_id(order, "delivered")})) << s.text;
  EXPECT_EQ(ids_of(s).back(), "3");
}

TEST_P(OrderEventsReplayTest, ReplayedEventIsTheOneThatWasSentLive) {
  const auto& w = world();
  auto order = placed_order_id(app(), w.alice.access_token, {{w.lamp, 1}});
  ASSERT_FALSE(order.empty());
  auto& live = open_ok(w.alice);
  change(order, "paid");
  change(order, "shipped");
  ASSERT_TRUE(wait_events(live, 2));
  auto sent = live.events();
  live.stream->cancel();  // the connection dropped after both

  auto& again = open_ok(w.alice, last_event_id(sent[0].id));
  auto replayed = again.events();
  ASSERT_EQ(replayed.size(), 1u) << again.text;
  EXPECT_EQ(replayed[0].id, sent[1].id);
  EXPECT_EQ(replayed[0].event, sent[1].event);
  EXPECT_EQ(replayed[0].data, sent[1].data) << "a replayed event must read as it did live";
}

TEST_P(OrderEventsReplayTest, LatestIdReplaysNothing) {
  const auto& w = world();
  auto order = placed_order_id(app(), w.alice.access_token, {{w.lamp, 1}});
  change(order, "paid");
  auto& s = open_ok(w.alice, last_event_id(event_id(order, "paid")));
  EXPECT_TRUE(s.events().empty()) << s.text;
}

// 0 names no event: everything the viewer may see is missed.
TEST_P(OrderEventsReplayTest, ZeroReplaysFromTheFirstChange) {
  const auto& w = world();
  auto order = placed_order_id(app(), w.alice.access_token, {{w.lamp, 1}});
  change(order, "paid");
  change(order, "shipped");
  auto& s = open_ok(w.alice, last_event_id("0"));
  EXPECT_EQ(ids_of(s), (Ids{event_id(order, "paid"), event_id(order, "shipped")})) << s.text;
}

// Not a non-negative decimal integer: nothing is replayed, the stream opens all the same,
// and live events pass (nothing is dropped for such an id).
TEST_P(OrderEventsReplayTest, GarbageLastEventIdIsIgnored) {
  const auto& w = world();
  auto order = placed_order_id(app(), w.alice.access_token, {{w.lamp, 1}});
  auto other = placed_order_id(app(), w.alice.access_token, {{w.mug, 1}});
  ASSERT_FALSE(order.empty() || other.empty());
  change(order, "paid");
  change(order, "shipped");
  for (const char* garbage : {"garbage", "", "-1", "+1", "1.5", "1e3", "0x1", "1,2", "1 2", "' OR 1=1 --",
                              "99999999999999999999999", "00000000-0000-0000-0000-00000000000g"}) {
    auto& s = open_ok(w.alice, last_event_id(garbage));
    EXPECT_TRUE(s.events().empty()) << "Last-Event-ID '" << garbage << "' replayed: " << s.text;
    s.stream->cancel();
  }
  auto& s = open_ok(w.alice, last_event_id("garbage"));
  change(other, "paid");
  ASSERT_TRUE(wait_events(s, 1)) << "a live event after a garbage Last-Event-ID was dropped: " << s.text;
  EXPECT_EQ(ids_of(s), (Ids{event_id(other, "paid")}));
}

// What a client kept from before ids were sequence numbers (status-history UUIDs).
TEST_P(OrderEventsReplayTest, UuidLastEventIdReplaysNothing) {
  const auto& w = world();
  auto order = placed_order_id(app(), w.alice.access_token, {{w.lamp, 1}});
  ASSERT_FALSE(order.empty());
  change(order, "paid");
  change(order, "shipped");
  std::string history_row;
  {
    auto lease = database().acquire();
    auto rows = lease->execute("SELECT id FROM order_status_history WHERE order_id = $1 AND to_status = 'paid'",
                               {order}).rows;
    ASSERT_EQ(rows.size(), 1u);
    history_row = rows[0].text(0);
  }
  ASSERT_TRUE(security::is_uuid(history_row)) << history_row;
  for (const std::string& uuid : {history_row, std::string("00000000-0000-0000-0000-000000000000"),
                                  std::string("0190AAAA-0000-7000-8000-000000000001")}) {
    auto& s = open_ok(w.alice, last_event_id(uuid));
    EXPECT_TRUE(s.events().empty()) << "Last-Event-ID '" << uuid << "' replayed: " << s.text;
    s.stream->cancel();
  }
  auto& s = open_ok(w.alice, last_event_id(history_row));
  change(order, "delivered");
  ASSERT_TRUE(wait_events(s, 1)) << s.text;
  EXPECT_EQ(ids_of(s), (Ids{event_id(order, "delivered")}));
}

TEST_P(OrderEventsReplayTest, PlacementsAreNotReplayed) {
  const auto& w = world();
  auto order = placed_order_id(app(), w.alice.access_token, {{w.lamp, 1}});
  change(order, "paid");
  auto later = placed_order_id(app(), w.alice.access_token, {{w.mug, 1}});
  ASSERT_FALSE(later.empty());
  auto& s = open_ok(w.alice, last_event_id(event_id(order, "paid")));
  EXPECT_TRUE(s.events().empty()) << "the placement of an order is no status change: " << s.text;
  auto& from_start = open_ok(w.alice, last_event_id("0"));
  EXPECT_EQ(ids_of(from_start), (Ids{event_id(order, "paid")})) << from_start.text;
}

TEST_P(OrderEventsReplayTest, ReplayShowsEachViewerOnlyWhatItMaySee) {
  const auto& w = world();
  auto hers = placed_order_id(app(), w.alice.access_token, {{w.lamp, 1}});   // vendor 1
  auto his = placed_order_id(app(), w.bob.access_token, {{w.chair, 1}});     // vendor 2
  ASSERT_FALSE(hers.empty() || his.empty());
  change(hers, "paid");
  auto cursor = event_id(hers, "paid");
  change(his, "paid");
  change(hers, "shipped");
  change(his, "shipped");
  auto his_paid = event_id(his, "paid"), hers_shipped = event_id(hers, "shipped"),
       his_shipped = event_id(his, "shipped");

  // Every viewer reconnects with the same cursor (any id works as a point in time).
  auto& alice = open_ok(w.alice, last_event_id(cursor));
  auto& bob = open_ok(w.bob, last_event_id(cursor));
  auto& seller1 = open_ok(w.vendor1, last_event_id(cursor));
  auto& seller2 = open_ok(w.vendor2, last_event_id(cursor));
  auto& root = open_ok(w.admin, last_event_id(cursor));
  EXPECT_EQ(ids_of(alice), (Ids{hers_shipped}));
  EXPECT_EQ(ids_of(bob), (Ids{his_paid, his_shipped}));
  EXPECT_EQ(ids_of(seller1), (Ids{hers_shipped}));
  EXPECT_EQ(ids_of(seller2), (Ids{his_paid, his_shipped}));
  EXPECT_EQ(ids_of(root), (Ids{his_paid, hers_shipped, his_shipped}));
}

// With PostgreSQL a process hears of a commit through LISTEN, a little after it. A client
// that saw an event through one process and reconnects to another may get there before that
// process heard of it: the hub then delivers, late, the event named by Last-Event-ID (and
// maybe ones it replayed). Simulated here by publishing on the hub what the listener would.
TEST_P(OrderEventsReplayTest, LateHubDeliveryOfEventsTheClientHasIsNotRepeated) {
  const auto& w = world();
  auto order = placed_order_id(app(), w.alice.access_token, {{w.lamp, 1}});
  ASSERT_FALSE(order.empty());
  change(order, "paid");
  change(order, "shipped");
  auto seen = event_id(order, "paid"), missed = event_id(order, "shipped");
  auto& s = open_ok(w.alice, last_event_id(seen));
  ASSERT_EQ(ids_of(s), (Ids{missed}));

  using domain::OrderStatus;
  hub().publish({missed, order, w.alice.user_id, {w.vendor1.user_id}, OrderStatus::shipped, OrderStatus::paid, "t"});
  EXPECT_EQ(ids_of(s), (Ids{missed})) << "a replayed event was sent again";
  hub().publish({seen, order, w.alice.user_id, {w.vendor1.user_id}, OrderStatus::paid, OrderStatus::pending, "t"});
  EXPECT_EQ(ids_of(s), (Ids{missed})) << "the event named by Last-Event-ID was sent again";

  change(order, "delivered");
  ASSERT_TRUE(wait_events(s, 2)) << s.text;
  EXPECT_EQ(ids_of(s), (Ids{missed, event_id(order, "delivered")})) << "live events still pass";
}

// The same with nothing to replay: the client's Last-Event-ID is the newest change, which
// this process hears of only after the stream opened.
TEST_P(OrderEventsReplayTest, LateHubDeliveryOfTheLastEventIdItselfIsDropped) {
  const auto& w = world();
  auto order = placed_order_id(app(), w.alice.access_token, {{w.lamp, 1}});
  ASSERT_FALSE(order.empty());
  change(order, "paid");
  auto seen = event_id(order, "paid");
  auto& s = open_ok(w.alice, last_event_id(seen));
  ASSERT_TRUE(s.events().empty()) << s.text;
  using domain::OrderStatus;
  hub().publish({seen, order, w.alice.user_id, {w.vendor1.user_id}, OrderStatus::paid, OrderStatus::pending, "t"});
  EXPECT_TRUE(s.events().empty()) << "the event named by Last-Event-ID was sent: " << s.text;
  change(order, "shipped");
  ASSERT_TRUE(wait_events(s, 1)) << s.text;
  EXPECT_EQ(ids_of(s), (Ids{event_id(order, "shipped")}));
}

// Missed events are pushed into the stream before the transport takes any, so a replay must
// fit its buffer; otherwise the stream overflows at once, the client is disconnected without
// a single event and reconnects with the same Last-Event-ID: it could never catch up. Past
// 200 missed events the client is told to refetch instead (one `resync` event, no id), and
// live events follow.
TEST_P(OrderEventsReplayTest, TooManyMissedEventsGetOneResyncAndNoOverflow) {
  const auto& w = world();
  auto first = placed_order_id(app(), w.alice.access_token, {{w.mug, 1}});
  ASSERT_FALSE(first.empty());
  change(first, "paid");
  auto cursor = event_id(first, "paid");
  constexpr int orders_after = 110;  // 330 status changes of ~220 bytes: more than 64 KiB
  ASSERT_NO_FATAL_FAILURE(many_changes(orders_after));
  auto& s = open_as(w.alice, last_event_id(cursor));
  ASSERT_EQ(s.response.status, 200) << s.response.body;
  ASSERT_TRUE(s.stream);
  EXPECT_FALSE(s.stream->overflowed()) << "the stream's buffer overflowed";
  EXPECT_FALSE(s.stream->ended());
  expect_opened(s);
  auto events = s.events();
  ASSERT_EQ(events.size(), 1u) << "bytes in the stream: " << s.text.size() << "\n" << s.text.substr(0, 600);
  EXPECT_EQ(events[0].event, resync_event);
  EXPECT_EQ(events[0].data, "{}");
  EXPECT_TRUE(events[0].id.empty()) << "a resync carries no id";
  EXPECT_EQ(s.text, "event: resync\ndata: {}\n\n");

  // Live events follow the resync.
  auto later = placed_order_id(app(), w.alice.access_token, {{w.lamp, 1}});
  ASSERT_FALSE(later.empty());
  change(later, "paid");
  ASSERT_TRUE(wait_events(s, 2)) << s.text;
  events = s.events();
  ASSERT_EQ(events.size(), 2u) << s.text;
  EXPECT_EQ(events[1].event, status_changed);
  EXPECT_EQ(events[1].id, event_id(later, "paid"));

  // An admin who missed the same is told alike; one who missed nothing is not.
  auto& root = open_ok(w.admin, last_event_id(cursor));
  EXPECT_EQ(root.text, "event: resync\ndata: {}\n\n");
  auto& current = open_ok(w.admin, last_event_id(event_id(later, "paid")));
  EXPECT_TRUE(current.events().empty()) << current.text.substr(0, 600);
}

// Up to 200 missed events are replayed, every one and in order; one more and it is a resync.
TEST_P(OrderEventsReplayTest, UpToTwoHundredMissedEventsAreAllReplayed) {
  const auto& w = world();
  ASSERT_NO_FATAL_FAILURE(many_changes(70));  // 210 changes, all Alice's
  auto all = all_event_ids();
  ASSERT_EQ(all.size(), 210u);
  for (std::size_t missed : {150u, 200u, 201u, 210u}) {
    SCOPED_TRACE("missed " + std::to_string(missed));
    auto cursor = missed == all.size() ? std::int64_t{0} : all[all.size() - missed - 1];
    auto& s = open_as(w.alice, last_event_id(std::to_string(cursor)));
    ASSERT_EQ(s.response.status, 200) << s.response.body;
    ASSERT_TRUE(s.stream);
    EXPECT_FALSE(s.stream->overflowed()) << "the replay overflowed the stream's buffer";
    expect_opened(s);
    auto events = s.events();
    if (missed <= 200) {
      Ids expected = as_text(std::vector<std::int64_t>(all.end() - static_cast<std::ptrdiff_t>(missed), all.end()));
      EXPECT_EQ(ids_of(s), expected);
      for (const auto& e : events) EXPECT_EQ(e.event, status_changed);
    } else {
      ASSERT_EQ(events.size(), 1u) << s.text.substr(0, 600);
      EXPECT_EQ(events[0].event, resync_event);
    }
    s.stream->cancel();
  }
}

// Ids are numbered in commit order, whatever the clock: eight orders paid within one
// millisecond (the harness clock stands still for call_from). A client that saw the first
// event must get the other seven, in the order they were sent live.
TEST_P(OrderEventsReplayTest, EventsOfOneMillisecondAreAllReplayedInOrder) {
  const auto& w = world();
  std::vector<std::string> placed;
  for (int i = 0; i < 8; ++i) {
    placed.push_back(placed_order_id(app(), w.alice.access_token, {{w.lamp, 1}}));
    ASSERT_FALSE(placed.back().empty());
  }
  auto& live = open_ok(w.alice);
  for (const auto& id : placed) {
    auto r = orders::call_from(app(), "127.0.0.1", http::Method::put, "/api/orders/" + id + "/status",
                               orders::json({{"status", "paid"}}), bearer(w.admin.access_token));
    ASSERT_EQ(r.status, 200) << r.body;
  }
  ASSERT_TRUE(wait_events(live, 8)) << live.text;
  auto sent = ids_of(live);
  live.stream->cancel();
  ASSERT_EQ(sent.size(), 8u);
  for (std::size_t i = 0; i < sent.size(); ++i) EXPECT_EQ(sent[i], event_id(placed[i], "paid")) << "change " << i;
  EXPECT_EQ(sent, as_text(all_event_ids())) << "live ids are not the commit order";

  auto& again = open_ok(w.alice, last_event_id(sent.front()));
  auto replayed = ids_of(again);
  Ids expected(sent.begin() + 1, sent.end());
  EXPECT_EQ(std::set<std::string>(replayed.begin(), replayed.end()), std::set<std::string>(expected.begin(), expected.end()))
      << "missed events were lost by the replay";
  EXPECT_EQ(replayed, expected) << "replay order differs from the live order";
  std::vector<std::string> replayed_orders;
  for (const auto& e : again.events()) {
    auto parsed = status_event(e);
    ASSERT_TRUE(parsed);
    replayed_orders.push_back(parsed->order_id);
  }
  EXPECT_EQ(replayed_orders, std::vector<std::string>(placed.begin() + 1, placed.end()));
}

// Changes made at the same time from many threads: each gets its own number, with no gap,
// and a client that missed them all gets every one, in commit order.
TEST_P(OrderEventsReplayTest, ConcurrentChangesGetDistinctNumbersReplayedInOrder) {
  const auto& w = world();
  constexpr int count = 12;
  std::vector<std::string> placed;
  for (int i = 0; i < count; ++i) {
    placed.push_back(placed_order_id(app(), w.alice.access_token, {{w.lamp, 1}}));
    ASSERT_FALSE(placed.back().empty());
  }
  auto& live = open_ok(w.alice);
  std::vector<std::thread> threads;
  std::vector<int> statuses(count, 0);
  for (int i = 0; i < count; ++i)
    threads.emplace_back([&, i] {
      statuses[i] = orders::call_from(app(), "127.0.0.1", http::Method::put, "/api/orders/" + placed[i] + "/status",
                                      orders::json({{"status", "paid"}}), bearer(w.admin.access_token))
                        .status;
    });
  for (auto& t : threads) t.join();
  for (int i = 0; i < count; ++i) ASSERT_EQ(statuses[i], 200) << "change " << i;

  auto numbers = all_event_ids();
  ASSERT_EQ(numbers.size(), static_cast<std::size_t>(count));
  for (int i = 0; i < count; ++i) EXPECT_EQ(numbers[i], i + 1) << "numbers are not 1.." << count;
  ASSERT_TRUE(wait_events(live, count)) << live.text;
  auto sent = ids_of(live);
  EXPECT_EQ(std::set<std::string>(sent.begin(), sent.end()).size(), static_cast<std::size_t>(count))
      << "an id was sent twice: " << live.text;
  // PostgreSQL delivers NOTIFY in commit order, and numbers are taken in commit order.
  if (backend() == mercato::testing::Backend::postgres) {
    EXPECT_EQ(sent, as_text(numbers)) << "live order";
  }

  auto& again = open_ok(w.alice, last_event_id("0"));
  EXPECT_EQ(ids_of(again), as_text(numbers)) << "the replay is not in commit order";
}

MERCATO_ORDERS_BACKENDS(OrderEventsReplayTest);
