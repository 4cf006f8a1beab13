// OrderEventRelay: the missed events (Last-Event-ID) first, then the live ones, as SSE text
// on the stream. Event ids are the changes' sequence numbers; the relay keeps a floor (the
// client's Last-Event-ID, raised by every replayed event) and drops any live event numbered
// at or below it, held back or not. Too much missed: one `resync` event instead.

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include <memory>
#include <string>
#include <vector>

#include "api/order_event_relay.hpp"

namespace {

using mercato::api::OrderEventRelay;
using mercato::domain::OrderStatus;
using mercato::domain::OrderStatusChanged;
using mercato::http::EventStream;

OrderStatusChanged event(std::string id, OrderStatus to = OrderStatus::paid, OrderStatus from = OrderStatus::pending) {
  return {std::move(id), "order-" + std::string("1"), "alice", {"vendor-1"}, to, from, "2026-11-25T00:00:00.000000Z"};
}

// The "id:" of every event in SSE text, in order.
std::vector<std::string> ids_in(const std::string& text) {
  std::vector<std::string> ids;
  std::size_t at = 0;
  while ((at = text.find("id: ", at)) != std::string::npos) {
    if (at != 0 && text[at - 1] != '\n') {
      at += 4;
      continue;
    }
    auto end = text.find('\n', at);
    ids.push_back(text.substr(at + 4, end - at - 4));
    at = end;
  }
  return ids;
}

using Ids = std::vector<std::string>;
using Events = std::vector<OrderStatusChanged>;

constexpr std::string_view resync_text = "event: resync\ndata: {}\n\n";

class OrderEventRelayTest : public ::testing::Test {
 protected:
  std::shared_ptr<EventStream> stream_ = std::make_shared<EventStream>();
  OrderEventRelay relay_{stream_};
};

TEST_F(OrderEventRelayTest, LiveEventIsOneSseEventWithOnlyWhatTheClientNeeds) {
  relay_.go_live();
  OrderStatusChanged e{"4711", "0190bbbb-0000-7000-8000-000000000002", "user-1",
                       {"vendor-1", "vendor-2"}, OrderStatus::shipped, OrderStatus::paid, "2026-11-25T10:11:12.123456Z"};
  EXPECT_TRUE(relay_.deliver(e));
  auto text = stream_->take();
  const std::string head = "id: 4711\nevent: order.status_changed\ndata: ";
  ASSERT_EQ(text.substr(0, head.size()), head) << text;
  ASSERT_GE(text.size(), head.size() + 2);
  ASSERT_EQ(text.substr(text.size() - 2), "\n\n");
  auto data_line = text.substr(head.size(), text.size() - head.size() - 2);
  EXPECT_EQ(data_line.find('\n'), std::string::npos) << "one data line";
  auto data = boost::json::parse(data_line).as_object();
  EXPECT_EQ(data.size(), 4u) << data_line;
  EXPECT_EQ(data.at("order_id"), "0190bbbb-0000-7000-8000-000000000002");
  EXPECT_EQ(data.at("status"), "shipped");
  EXPECT_EQ(data.at("previous_status"), "paid");
  EXPECT_EQ(data.at("updated_at"), "2026-11-25T10:11:12.123456Z");
  EXPECT_FALSE(data.contains("user_id"));
  EXPECT_FALSE(data.contains("vendor_ids"));
}

TEST_F(OrderEventRelayTest, EventsBeforeGoLiveAreHeldThenSentInOrder) {
  EXPECT_TRUE(relay_.deliver(event("1")));
  EXPECT_TRUE(relay_.deliver(event("2")));
  EXPECT_EQ(stream_->take(), "") << "held events leaked before go_live";
  relay_.go_live();
  EXPECT_EQ(ids_in(stream_->take()), (Ids{"1", "2"}));
  EXPECT_TRUE(relay_.deliver(event("3")));
  EXPECT_EQ(ids_in(stream_->take()), (Ids{"3"}));
}

TEST_F(OrderEventRelayTest, ReplayComesBeforeHeldEvents) {
  EXPECT_TRUE(relay_.deliver(event("4")));  // arrives while the missed ones are read
  relay_.replay(1, {event("2"), event("3")});
  EXPECT_TRUE(relay_.deliver(event("5")));
  relay_.go_live();
  EXPECT_TRUE(relay_.deliver(event("6")));
  EXPECT_EQ(ids_in(stream_->take()), (Ids{"2", "3", "4", "5", "6"}));
}

TEST_F(OrderEventRelayTest, ReplayIsSentAtOnceNotHeldUntilGoLive) {
  relay_.replay(10, {event("11"), event("12")});
  EXPECT_EQ(ids_in(stream_->take()), (Ids{"11", "12"}));
  relay_.go_live();
  EXPECT_EQ(stream_->take(), "");
}

TEST_F(OrderEventRelayTest, EventBothReplayedAndHeldIsSentOnce) {
  // 2 committed while the stream was opening: the hub delivered it and the history read found it.
  EXPECT_TRUE(relay_.deliver(event("2")));
  relay_.replay(0, {event("1"), event("2")});
  EXPECT_TRUE(relay_.deliver(event("3")));
  relay_.go_live();
  EXPECT_EQ(ids_in(stream_->take()), (Ids{"1", "2", "3"}));
}

TEST_F(OrderEventRelayTest, EmptyReplayThenLive) {
  relay_.replay(5, {});
  relay_.go_live();
  EXPECT_EQ(stream_->take(), "");
  EXPECT_TRUE(relay_.deliver(event("6")));
  EXPECT_EQ(ids_in(stream_->take()), (Ids{"6"}));
}

// With PostgreSQL the hub hears of a commit through LISTEN, a little after it: an event the
// history read already found can still arrive from the hub once the relay is live.
TEST_F(OrderEventRelayTest, ReplayedEventArrivingLateFromTheHubIsNotSentAgain) {
  relay_.replay(0, {event("1"), event("2")});
  relay_.go_live();
  EXPECT_TRUE(relay_.deliver(event("2")));
  EXPECT_TRUE(relay_.deliver(event("1")));
  EXPECT_TRUE(relay_.deliver(event("3")));
  EXPECT_EQ(ids_in(stream_->take()), (Ids{"1", "2", "3"}));
}

// A client that saw event 5 through one process reconnects to another that has not heard
// of 5 yet (nor of 4): nothing was missed, and when 4 and 5 come late from the hub the
// client has them already.
TEST_F(OrderEventRelayTest, LateLiveEventAtOrBelowLastEventIdIsDropped) {
  relay_.replay(5, {});
  relay_.go_live();
  EXPECT_TRUE(relay_.deliver(event("4"))) << "a dropped event does not end the subscription";
  EXPECT_TRUE(relay_.deliver(event("5")));
  EXPECT_EQ(stream_->take(), "") << "an event the client has was sent again";
  EXPECT_TRUE(relay_.deliver(event("6")));
  EXPECT_EQ(ids_in(stream_->take()), (Ids{"6"}));
}

TEST_F(OrderEventRelayTest, FloorIsTheHighestReplayedEvent) {
  relay_.replay(5, {event("6"), event("8")});
  relay_.go_live();
  for (const char* late : {"3", "5", "6", "7", "8"}) EXPECT_TRUE(relay_.deliver(event(late)));
  EXPECT_TRUE(relay_.deliver(event("9")));
  EXPECT_EQ(ids_in(stream_->take()), (Ids{"6", "8", "9"}));
}

TEST_F(OrderEventRelayTest, HeldEventAtOrBelowTheFloorIsDropped) {
  EXPECT_TRUE(relay_.deliver(event("3")));   // below Last-Event-ID
  EXPECT_TRUE(relay_.deliver(event("5")));   // Last-Event-ID itself
  EXPECT_TRUE(relay_.deliver(event("7")));   // replayed as well
  EXPECT_TRUE(relay_.deliver(event("9")));   // new
  relay_.replay(5, {event("6"), event("7")});
  relay_.go_live();
  EXPECT_EQ(ids_in(stream_->take()), (Ids{"6", "7", "9"}));
}

TEST_F(OrderEventRelayTest, HeldEventBelowLastEventIdIsDroppedWithoutReplay) {
  EXPECT_TRUE(relay_.deliver(event("2")));
  EXPECT_TRUE(relay_.deliver(event("4")));
  relay_.replay(3, {});
  relay_.go_live();
  EXPECT_EQ(ids_in(stream_->take()), (Ids{"4"}));
}

// Live events above the floor pass as they come: the floor does not move with live sends.
TEST_F(OrderEventRelayTest, LiveEventsAboveTheFloorPassInTheOrderTheyCome) {
  relay_.replay(1, {event("2")});
  relay_.go_live();
  EXPECT_TRUE(relay_.deliver(event("4")));
  EXPECT_TRUE(relay_.deliver(event("3")));
  EXPECT_EQ(ids_in(stream_->take()), (Ids{"2", "4", "3"}));
}

TEST_F(OrderEventRelayTest, WithoutLastEventIdEveryLiveEventPasses) {
  relay_.go_live();
  for (const char* id : {"1", "2", "3"}) EXPECT_TRUE(relay_.deliver(event(id)));
  EXPECT_EQ(ids_in(stream_->take()), (Ids{"1", "2", "3"}));
}

TEST_F(OrderEventRelayTest, ResyncPushesOneResyncEventWithoutId) {
  relay_.resync(5);
  auto text = stream_->take();
  EXPECT_EQ(text, resync_text) << "no id: the client keeps its Last-Event-ID";
  relay_.go_live();
  EXPECT_EQ(stream_->take(), "");
}

TEST_F(OrderEventRelayTest, AfterResyncLiveEventsAboveLastEventIdFollow) {
  EXPECT_TRUE(relay_.deliver(event("4")));  // held: the client has it
  EXPECT_TRUE(relay_.deliver(event("9")));  // held: newer
  relay_.resync(5);
  EXPECT_TRUE(relay_.deliver(event("10")));
  relay_.go_live();
  EXPECT_TRUE(relay_.deliver(event("5")));  // late, the client has it
  EXPECT_TRUE(relay_.deliver(event("11")));
  auto text = stream_->take();
  ASSERT_EQ(text.substr(0, resync_text.size()), resync_text) << "the resync comes first: " << text;
  EXPECT_EQ(ids_in(text), (Ids{"9", "10", "11"}));
  EXPECT_EQ(text.find("event: resync", 1), std::string::npos) << "one resync: " << text;
}

TEST_F(OrderEventRelayTest, DeliverAnswersFalseOnceTheStreamEnded) {
  EXPECT_TRUE(relay_.deliver(event("1")));
  stream_->cancel();
  EXPECT_FALSE(relay_.deliver(event("2"))) << "while held";
  relay_.go_live();
  EXPECT_FALSE(relay_.deliver(event("3"))) << "while live";
}

TEST_F(OrderEventRelayTest, DroppedEventAnswersFalseOnceTheStreamEnded) {
  relay_.replay(5, {});
  relay_.go_live();
  stream_->cancel();
  EXPECT_FALSE(relay_.deliver(event("4"))) << "the hub must still learn that the stream is gone";
}

TEST(OrderEventRelay, OverflowEndsDeliveryAndAnswersFalse) {
  auto stream = std::make_shared<EventStream>(200);  // room for one event of ~150 bytes
  OrderEventRelay relay(stream);
  relay.go_live();
  EXPECT_TRUE(relay.deliver(event("1")));
  EXPECT_FALSE(relay.deliver(event("2")));
  EXPECT_TRUE(stream->overflowed());
}

}  // namespace
