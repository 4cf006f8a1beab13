// GET /api/orders/events: who hears of a status change (owner, vendors with an item, admins),
// what the event says, and that nothing else is heard. Both backends; on PostgreSQL through
// NOTIFY/LISTEN as in `mercato serve`.

#include <gtest/gtest.h>

#include "integration/orders_events/order_events_test_support.hpp"

using namespace mercato;
using namespace mercato::testing::order_events;
namespace orders = mercato::testing::orders;
using mercato::testing::orders::Line;
using mercato::testing::orders::placed_order_id;
using mercato::testing::orders::set_status;
using mercato::testing::orders::cancel_order;
using mercato::testing::orders::body_of;
using mercato::testing::orders::str;

namespace {

class OrderEventsDeliveryTest : public OrderEventsTest {};

}  // namespace

TEST_P(OrderEventsDeliveryTest, OwnerOpensAStream) {
  auto& s = open_as(world().alice);
  EXPECT_EQ(s.response.status, 200) << s.response.body;
  ASSERT_TRUE(s.stream) << "no stream: " << s.response.body;
  auto content_type = std::string(s.response.headers.get("Content-Type").value_or(""));
  EXPECT_EQ(content_type.rfind("text/event-stream", 0), 0u) << content_type;
  EXPECT_EQ(s.response.headers.get("Cache-Control").value_or(""), "no-store");
  EXPECT_EQ(s.drain(), "retry: 3000\n\n") << "the first text is the reconnection delay, and nothing else yet";
  EXPECT_FALSE(s.stream->ended());
  EXPECT_EQ(streams(), 1u);
}

TEST_P(OrderEventsDeliveryTest, PaidReachesOwnerVendorAndAdminOnly) {
  const auto& w = world();
  auto order = placed_order_id(app(), w.alice.access_token, {{w.lamp, 2}});
  ASSERT_FALSE(order.empty());
  auto& owner = open_ok(w.alice);
  auto& other = open_ok(w.bob);
  auto& seller = open_ok(w.vendor1);
  auto& other_seller = open_ok(w.vendor2);
  auto& root = open_ok(w.admin);
  ASSERT_EQ(streams(), 5u);

  auto r = set_status(app(), w.admin.access_token, order, "paid");
  ASSERT_EQ(r.status, 200) << r.body;
  auto updated_at = str(body_of(r).at("updated_at"));

  auto event = one_event(owner, "the owner");
  ASSERT_TRUE(event);
  EXPECT_EQ(event->order_id, order);
  EXPECT_EQ(event->status, "paid");
  EXPECT_EQ(event->previous_status, "pending");
  EXPECT_EQ(event->updated_at, updated_at) << "the order's updated_at";
  EXPECT_EQ(event->data_fields, 4u) << owner.text;
  EXPECT_TRUE(sequence_number(event->id)) << "id: '" << event->id << "'";
  EXPECT_EQ(event->id, event_id(order, "paid")) << "the id is the change's sequence number";

  auto seen_by_vendor = one_event(seller, "the vendor with an item");
  auto seen_by_admin = one_event(root, "the admin");
  ASSERT_TRUE(seen_by_vendor && seen_by_admin);
  EXPECT_EQ(seen_by_vendor->id, event->id);
  EXPECT_EQ(seen_by_admin->id, event->id);
  EXPECT_EQ(seen_by_vendor->status, "paid");

  // The delivery to everyone is done by now (one publish reaches every subscriber).
  EXPECT_TRUE(other.events().empty()) << "another customer heard: " << other.text;
  EXPECT_TRUE(other_seller.events().empty()) << "a vendor without an item heard: " << other_seller.text;
}

TEST_P(OrderEventsDeliveryTest, OwnersCancellationReachesTheSameParties) {
  const auto& w = world();
  auto order = placed_order_id(app(), w.alice.access_token, {{w.mug, 1}});
  ASSERT_FALSE(order.empty());
  auto& owner = open_ok(w.alice);
  auto& other = open_ok(w.bob);
  auto& seller = open_ok(w.vendor1);
  auto& other_seller = open_ok(w.vendor2);
  auto& root = open_ok(w.admin);

  auto r = cancel_order(app(), w.alice.access_token, order);
  ASSERT_EQ(r.status, 200) << r.body;

  for (auto* s : {&owner, &seller, &root}) {
    auto event = one_event(*s, "a party of the order");
    ASSERT_TRUE(event);
    EXPECT_EQ(event->order_id, order);
    EXPECT_EQ(event->status, "cancelled");
    EXPECT_EQ(event->previous_status, "pending");
    EXPECT_EQ(event->id, event_id(order, "cancelled"));
  }
  EXPECT_TRUE(other.events().empty()) << other.text;
  EXPECT_TRUE(other_seller.events().empty()) << other_seller.text;
}

TEST_P(OrderEventsDeliveryTest, AdminsCancellationOfAPaidOrder) {
  const auto& w = world();
  auto order = placed_order_id(app(), w.alice.access_token, {{w.lamp, 1}});
  ASSERT_FALSE(order.empty());
  ASSERT_EQ(set_status(app(), w.admin.access_token, order, "paid").status, 200);
  settle(order, "paid");  // before the streams open: they must not hear of it
  auto& owner = open_ok(w.alice);
  auto& other = open_ok(w.bob);

  auto r = cancel_order(app(), w.admin.access_token, order);
  ASSERT_EQ(r.status, 200) << r.body;
  auto event = one_event(owner, "the owner");
  ASSERT_TRUE(event);
  EXPECT_EQ(event->status, "cancelled");
  EXPECT_EQ(event->previous_status, "paid");
  EXPECT_TRUE(other.events().empty()) << other.text;
}

TEST_P(OrderEventsDeliveryTest, EveryVendorOfAMixedOrderHearsIt) {
  const auto& w = world();
  auto order = placed_order_id(app(), w.alice.access_token, {{w.lamp, 1}, {w.chair, 1}});
  ASSERT_FALSE(order.empty());
  auto& first = open_ok(w.vendor1);
  auto& second = open_ok(w.vendor2);
  ASSERT_EQ(set_status(app(), w.admin.access_token, order, "paid").status, 200);
  auto a = one_event(first, "vendor 1");
  auto b = one_event(second, "vendor 2");
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->order_id, order);
  EXPECT_EQ(b->order_id, order);
}

TEST_P(OrderEventsDeliveryTest, EachChangeOnceAndInOrder) {
  const auto& w = world();
  auto order = placed_order_id(app(), w.alice.access_token, {{w.lamp, 1}});
  ASSERT_FALSE(order.empty());
  auto& owner = open_ok(w.alice);
  for (const char* step : {"paid", "shipped", "delivered"})
    ASSERT_EQ(set_status(app(), w.admin.access_token, order, step).status, 200) << step;
  ASSERT_TRUE(wait_events(owner, 3));
  auto events = owner.events();
  ASSERT_EQ(events.size(), 3u) << owner.text;
  std::vector<std::string> statuses, previous;
  for (const auto& e : events) {
    auto parsed = status_event(e);
    ASSERT_TRUE(parsed);
    statuses.push_back(parsed->status);
    previous.push_back(parsed->previous_status);
  }
  EXPECT_EQ(statuses, (std::vector<std::string>{"paid", "shipped", "delivered"}));
  EXPECT_EQ(previous, (std::vector<std::string>{"pending", "paid", "shipped"}));
  EXPECT_EQ(events[0].id, event_id(order, "paid"));
  EXPECT_EQ(events[1].id, event_id(order, "shipped"));
  EXPECT_EQ(events[2].id, event_id(order, "delivered"));
}

// Ids are sequence numbers: decimal integers that grow with every change, whichever order
// and whoever made it, and never repeat.
TEST_P(OrderEventsDeliveryTest, LiveEventIdsAreIncreasingIntegers) {
  const auto& w = world();
  auto first = placed_order_id(app(), w.alice.access_token, {{w.lamp, 1}});
  auto second = placed_order_id(app(), w.alice.access_token, {{w.mug, 1}});
  ASSERT_FALSE(first.empty() || second.empty());
  auto& owner = open_ok(w.alice);
  auto& root = open_ok(w.admin);
  ASSERT_EQ(set_status(app(), w.admin.access_token, first, "paid").status, 200);
  ASSERT_EQ(set_status(app(), w.admin.access_token, second, "paid").status, 200);
  ASSERT_EQ(cancel_order(app(), w.alice.access_token, second).status, 200);  // by the owner
  ASSERT_EQ(set_status(app(), w.admin.access_token, first, "shipped").status, 200);
  ASSERT_TRUE(wait_events(owner, 4)) << owner.text;
  ASSERT_TRUE(wait_events(root, 4)) << root.text;
  auto events = owner.events();
  ASSERT_EQ(events.size(), 4u) << owner.text;
  std::vector<std::int64_t> numbers;
  for (const auto& e : events) {
    auto n = sequence_number(e.id);
    ASSERT_TRUE(n) << "id '" << e.id << "' is no decimal sequence number";
    numbers.push_back(*n);
  }
  for (std::size_t i = 1; i < numbers.size(); ++i)
    EXPECT_LT(numbers[i - 1], numbers[i]) << "ids do not increase: " << owner.text;
  EXPECT_EQ(numbers, all_event_ids()) << "the ids are the numbers in the history";
  EXPECT_EQ(events[0].id, event_id(first, "paid"));
  EXPECT_EQ(events[1].id, event_id(second, "paid"));
  EXPECT_EQ(events[2].id, event_id(second, "cancelled"));
  EXPECT_EQ(events[3].id, event_id(first, "shipped"));
  std::vector<std::string> ids, admin_ids;
  for (const auto& e : events) ids.push_back(e.id);
  for (const auto& e : root.events()) admin_ids.push_back(e.id);
  EXPECT_EQ(admin_ids, ids) << "two viewers of one change see one id";
}

TEST_P(OrderEventsDeliveryTest, RefusedTransitionAndPlacementSendNothing) {
  const auto& w = world();
  auto& owner = open_ok(w.alice);
  auto order = placed_order_id(app(), w.alice.access_token, {{w.lamp, 1}});  // placement: no status change event
  ASSERT_FALSE(order.empty());
  auto refused = set_status(app(), w.admin.access_token, order, "shipped");
  ASSERT_EQ(refused.status, 409) << refused.body;
  ASSERT_EQ(set_status(app(), w.admin.access_token, order, "paid").status, 200);
  // The one change that committed is the first and only event.
  auto event = one_event(owner, "the owner");
  ASSERT_TRUE(event);
  EXPECT_EQ(event->status, "paid");
}

TEST_P(OrderEventsDeliveryTest, CancelledStreamLeavesTheHubAndHearsNothing) {
  const auto& w = world();
  auto order = placed_order_id(app(), w.alice.access_token, {{w.lamp, 1}});
  ASSERT_FALSE(order.empty());
  auto& gone = open_ok(w.alice);
  auto& stays = open_ok(w.admin);
  ASSERT_EQ(streams(), 2u);
  gone.stream->cancel();
  EXPECT_EQ(streams(), 1u);
  ASSERT_EQ(set_status(app(), w.admin.access_token, order, "paid").status, 200);
  ASSERT_TRUE(one_event(stays, "the admin"));
  EXPECT_TRUE(gone.events().empty());
}

TEST_P(OrderEventsDeliveryTest, SixthStreamOfOneUserIsRefused) {
  const auto& w = world();
  for (int i = 0; i < 5; ++i) open_ok(w.alice);
  auto& sixth = open_as(w.alice);
  EXPECT_EQ(sixth.response.status, 429) << sixth.response.body;
  EXPECT_EQ(orders::code_of(sixth.response), "too_many_streams");
  EXPECT_TRUE(sixth.response.headers.get("Retry-After").has_value());
  EXPECT_FALSE(sixth.stream);
  EXPECT_EQ(streams(), 5u);
  // Another user is not affected.
  open_ok(w.bob);
}

TEST_P(OrderEventsDeliveryTest, ClosingAStreamFreesASlot) {
  const auto& w = world();
  std::vector<Subscription*> five;
  for (int i = 0; i < 5; ++i) five.push_back(&open_ok(w.alice));
  ASSERT_EQ(open_as(w.alice).response.status, 429);
  five.front()->stream->cancel();
  open_ok(w.alice);
}

MERCATO_ORDERS_BACKENDS(OrderEventsDeliveryTest);
