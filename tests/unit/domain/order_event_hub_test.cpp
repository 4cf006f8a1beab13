// OrderEventHub: who hears of an order's status change, the cap on streams per user, and
// subscribers that drop out.

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "domain/orders/order_event_hub.hpp"

namespace {

using mercato::Error;
using mercato::ErrorKind;
using mercato::Principal;
using mercato::domain::event_visible_to;
using mercato::domain::max_event_streams_per_user;
using mercato::domain::OrderEventHub;
using mercato::domain::OrderStatus;
using mercato::domain::OrderStatusChanged;

Principal customer(std::string id) { return {std::move(id), "customer", "session-" + id, true}; }
Principal vendor(std::string id) { return {std::move(id), "vendor", "session-" + id, true}; }
Principal admin(std::string id) { return {std::move(id), "admin", "session-" + id, true}; }

OrderStatusChanged paid_event(std::string event_id = "1") {
  return {std::move(event_id), "order-1", "alice", {"vendor-1", "vendor-3"}, OrderStatus::paid, OrderStatus::pending,
          "2026-11-25T00:00:00.000000Z"};
}

// What one subscriber received, shared so that the hub's copy of the callback stays valid.
struct Inbox {
  std::vector<std::string> event_ids;
  bool accept = true;  // what deliver answers
};

OrderEventHub::Deliver collect(const std::shared_ptr<Inbox>& inbox) {
  return [inbox](const OrderStatusChanged& e) {
    inbox->event_ids.push_back(e.event_id);
    return inbox->accept;
  };
}

TEST(OrderEventHub, EachPartySeesWhatItMay) {
  OrderEventHub hub;
  auto owner = std::make_shared<Inbox>(), other = std::make_shared<Inbox>(), seller = std::make_shared<Inbox>(),
       other_seller = std::make_shared<Inbox>(), root = std::make_shared<Inbox>(),
       second_seller = std::make_shared<Inbox>();
  hub.subscribe(customer("alice"), collect(owner));
  hub.subscribe(customer("bob"), collect(other));
  hub.subscribe(vendor("vendor-1"), collect(seller));
  hub.subscribe(vendor("vendor-2"), collect(other_seller));
  hub.subscribe(vendor("vendor-3"), collect(second_seller));
  hub.subscribe(admin("root"), collect(root));
  EXPECT_EQ(hub.subscribers(), 6u);

  hub.publish(paid_event("1"));

  EXPECT_EQ(owner->event_ids, std::vector<std::string>{"1"}) << "the owner";
  EXPECT_TRUE(other->event_ids.empty()) << "another customer";
  EXPECT_EQ(seller->event_ids, std::vector<std::string>{"1"}) << "a vendor with an item in the order";
  EXPECT_EQ(second_seller->event_ids, std::vector<std::string>{"1"}) << "the other vendor with an item";
  EXPECT_TRUE(other_seller->event_ids.empty()) << "a vendor without an item";
  EXPECT_EQ(root->event_ids, std::vector<std::string>{"1"}) << "an admin";
}

TEST(OrderEventHub, AdminSeesEveryOrder) {
  OrderEventHub hub;
  auto root = std::make_shared<Inbox>();
  hub.subscribe(admin("root"), collect(root));
  hub.publish(paid_event("1"));
  hub.publish({"2", "order-2", "bob", {}, OrderStatus::cancelled, OrderStatus::pending, "t"});
  hub.publish({"3", "order-3", "carol", {"vendor-9"}, OrderStatus::shipped, OrderStatus::paid, "t"});
  EXPECT_EQ(root->event_ids, (std::vector<std::string>{"1", "2", "3"}));
}

TEST(OrderEventHub, VisibilityRules) {
  auto event = paid_event();
  EXPECT_TRUE(event_visible_to(customer("alice"), event));
  EXPECT_FALSE(event_visible_to(customer("bob"), event));
  EXPECT_TRUE(event_visible_to(vendor("vendor-1"), event));
  EXPECT_FALSE(event_visible_to(vendor("vendor-2"), event));
  EXPECT_TRUE(event_visible_to(admin("someone"), event));
  // A vendor id in the list is no pass for an account of another role with the same id.
  EXPECT_FALSE(event_visible_to(customer("vendor-1"), event));
  EXPECT_FALSE(event_visible_to(Principal{"vendor-1", "", "s", true}, event));
}

TEST(OrderEventHub, SixthStreamOfOneUserIsRefused) {
  OrderEventHub hub;
  ASSERT_EQ(max_event_streams_per_user, 5u);
  std::vector<std::uint64_t> ids;
  for (std::size_t i = 0; i < max_event_streams_per_user; ++i)
    ids.push_back(hub.subscribe(customer("alice"), collect(std::make_shared<Inbox>())));
  EXPECT_EQ(hub.subscribers(), 5u);
  try {
    hub.subscribe(customer("alice"), collect(std::make_shared<Inbox>()));
    FAIL() << "a sixth stream was accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::rate_limited);
    EXPECT_EQ(e.code(), "too_many_streams");
    EXPECT_TRUE(e.retry_after_seconds().has_value());
  }
  EXPECT_EQ(hub.subscribers(), 5u) << "the refused one is not kept";
  // The cap is per user: others are not affected.
  EXPECT_NO_THROW(hub.subscribe(customer("bob"), collect(std::make_shared<Inbox>())));
  // Ids are distinct.
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(std::adjacent_find(ids.begin(), ids.end()), ids.end());
}

TEST(OrderEventHub, CapCountsTheUserWhateverTheSession) {
  OrderEventHub hub;
  for (int i = 0; i < 5; ++i)
    hub.subscribe(Principal{"alice", "customer", "session-" + std::to_string(i), true},
                  collect(std::make_shared<Inbox>()));
  EXPECT_THROW(hub.subscribe(Principal{"alice", "customer", "session-new", true}, collect(std::make_shared<Inbox>())),
               Error);
}

TEST(OrderEventHub, UnsubscribeFreesASlotAndStopsDelivery) {
  OrderEventHub hub;
  std::vector<std::uint64_t> ids;
  auto first = std::make_shared<Inbox>();
  ids.push_back(hub.subscribe(customer("alice"), collect(first)));
  for (int i = 1; i < 5; ++i) ids.push_back(hub.subscribe(customer("alice"), collect(std::make_shared<Inbox>())));
  EXPECT_THROW(hub.subscribe(customer("alice"), collect(std::make_shared<Inbox>())), Error);

  hub.unsubscribe(ids.front());
  EXPECT_EQ(hub.subscribers(), 4u);
  hub.publish(paid_event("1"));
  EXPECT_TRUE(first->event_ids.empty()) << "an unsubscribed stream still got an event";

  auto replacement = std::make_shared<Inbox>();
  EXPECT_NO_THROW(hub.subscribe(customer("alice"), collect(replacement)));
  hub.publish(paid_event("2"));
  EXPECT_EQ(replacement->event_ids, std::vector<std::string>{"2"});

  hub.unsubscribe(ids.front());  // twice: harmless
  hub.unsubscribe(987654321);     // unknown: harmless
  EXPECT_EQ(hub.subscribers(), 5u);
}

TEST(OrderEventHub, SubscriberAnsweringFalseIsDropped) {
  OrderEventHub hub;
  auto gone = std::make_shared<Inbox>(), alive = std::make_shared<Inbox>();
  gone->accept = false;
  auto gone_id = hub.subscribe(customer("alice"), collect(gone));
  hub.subscribe(customer("alice"), collect(alive));

  hub.publish(paid_event("1"));
  EXPECT_EQ(gone->event_ids, std::vector<std::string>{"1"});
  EXPECT_EQ(hub.subscribers(), 1u);

  hub.publish(paid_event("2"));
  EXPECT_EQ(gone->event_ids, std::vector<std::string>{"1"}) << "a dropped subscriber still got events";
  EXPECT_EQ(alive->event_ids, (std::vector<std::string>{"1", "2"}));
  hub.unsubscribe(gone_id);  // what the stream's on_cancel does later: harmless
  EXPECT_EQ(hub.subscribers(), 1u);
}

TEST(OrderEventHub, DroppedSubscriberFreesItsSlot) {
  OrderEventHub hub;
  auto gone = std::make_shared<Inbox>();
  gone->accept = false;
  hub.subscribe(customer("alice"), collect(gone));
  for (int i = 1; i < 5; ++i) hub.subscribe(customer("alice"), collect(std::make_shared<Inbox>()));
  hub.publish(paid_event("1"));
  EXPECT_NO_THROW(hub.subscribe(customer("alice"), collect(std::make_shared<Inbox>())));
}

TEST(OrderEventHub, InvisibleEventsNeverReachDeliver) {
  OrderEventHub hub;
  auto other = std::make_shared<Inbox>();
  other->accept = false;  // would be dropped if it were called
  hub.subscribe(customer("bob"), collect(other));
  hub.publish(paid_event("1"));
  EXPECT_TRUE(other->event_ids.empty());
  EXPECT_EQ(hub.subscribers(), 1u) << "a subscriber was dropped for an event it may not see";
}

}  // namespace
