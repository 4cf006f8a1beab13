// EventStream: the bounded buffer between producers of Server-Sent Events and the transport.

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "http/event_stream.hpp"
#include "support/sse_client.hpp"

namespace {

using mercato::http::EventStream;

TEST(EventStream, PushedTextIsTakenOnceInOrder) {
  EventStream stream;
  EXPECT_TRUE(stream.push("one "));
  EXPECT_TRUE(stream.push("two "));
  EXPECT_TRUE(stream.push("three"));
  EXPECT_EQ(stream.take(), "one two three");
  EXPECT_EQ(stream.take(), "");
  EXPECT_TRUE(stream.push("four"));
  EXPECT_EQ(stream.take(), "four");
  EXPECT_FALSE(stream.ended());
  EXPECT_FALSE(stream.overflowed());
}

TEST(EventStream, PushEventFormatsIdTypeAndData) {
  EventStream stream;
  EXPECT_TRUE(stream.push_event("0190-abc", "order.status_changed", R"({"a":1})"));
  EXPECT_EQ(stream.take(), "id: 0190-abc\nevent: order.status_changed\ndata: {\"a\":1}\n\n");
}

TEST(EventStream, PushEventWritesOneDataLinePerLine) {
  EventStream stream;
  EXPECT_TRUE(stream.push_event("7", "note", "first\nsecond\nthird"));
  EXPECT_EQ(stream.take(), "id: 7\nevent: note\ndata: first\ndata: second\ndata: third\n\n");
}

TEST(EventStream, PushEventKeepsEmptyLinesOfData) {
  EventStream stream;
  EXPECT_TRUE(stream.push_event("1", "t", "a\n\nb\n"));
  // An empty line inside the data must not end the event early: every line gets "data:".
  EXPECT_EQ(stream.take(), "id: 1\nevent: t\ndata: a\ndata: \ndata: b\ndata: \n\n");
}

TEST(EventStream, PushEventWithoutIdOrTypeWritesOnlyData) {
  EventStream stream;
  EXPECT_TRUE(stream.push_event("", "", "x"));
  EXPECT_EQ(stream.take(), "data: x\n\n");
}

// SSE (HTML Living Standard, 9.2.5) ends a line at CRLF, LF or a lone CR. A CR left inside a
// "data:" line would end that line at the client, and what follows it would be read as a
// field of its own (e.g. "event: ..." or "id: ...").
TEST(EventStream, PushEventSplitsDataOnEverySseLineEnd) {
  EventStream stream;
  EXPECT_TRUE(stream.push_event("1", "t", "a\rb\r\nc"));
  auto text = stream.take();
  EXPECT_EQ(text.find("data: a\r"), std::string::npos) << "a lone CR stays inside a data line: " << text;
  EXPECT_EQ(text, "id: 1\nevent: t\ndata: a\ndata: b\ndata: c\n\n");
}

TEST(EventStream, PushEventTellsCrLfFromCrThenLf) {
  EventStream stream;
  // CRLF is one line end; LF then CR, or CR then CR, are two (an empty line between).
  EXPECT_TRUE(stream.push_event("", "", "a\r\nb\n\rc\r\rd"));
  EXPECT_EQ(stream.take(), "data: a\ndata: b\ndata: \ndata: c\ndata: \ndata: d\n\n");
}

TEST(EventStream, PushEventWithTrailingCrEndsWithAnEmptyDataLine) {
  EventStream stream;
  EXPECT_TRUE(stream.push_event("", "", "a\r"));
  EXPECT_EQ(stream.take(), "data: a\ndata: \n\n");
  EXPECT_TRUE(stream.push_event("", "", "\r\n"));
  EXPECT_EQ(stream.take(), "data: \ndata: \n\n");
}

TEST(EventStream, CrInDataCannotSmuggleAFieldOrEndTheEvent) {
  EventStream stream;
  EXPECT_TRUE(stream.push_event("1", "t", "x\rid: 999\r\revent: forged\rdata: y"));
  auto text = stream.take();
  EXPECT_EQ(text.find('\r'), std::string::npos) << "a CR reached the wire";
  EXPECT_EQ(text, "id: 1\nevent: t\ndata: x\ndata: id: 999\ndata: \ndata: event: forged\ndata: data: y\n\n");
}

// What an EventSource makes of the text: one event, its id and type as pushed, and the data
// with every line end read as LF.
TEST(EventStream, PushedEventReadsBackAsOneEventWhateverTheLineEnds) {
  const std::vector<std::pair<std::string, std::string>> cases{
      {"plain", "plain"},         {"a\nb", "a\nb"},       {"a\rb", "a\nb"},     {"a\r\nb", "a\nb"},
      {"a\n\nb", "a\n\nb"},     {"a\r\rb", "a\n\nb"},   {"a\n\rb", "a\n\nb"}, {"\r", "\n"},
      {"x\rid: 2\r\revent: y", "x\nid: 2\n\nevent: y"}};
  for (const auto& [data, read] : cases) {
    EventStream stream;
    ASSERT_TRUE(stream.push_event("41", "order.status_changed", data));
    auto events = mercato::test::sse_events(stream.take());
    ASSERT_EQ(events.size(), 1u) << "data '" << data << "' split the event";
    EXPECT_EQ(events[0].id, "41");
    EXPECT_EQ(events[0].event, "order.status_changed");
    EXPECT_EQ(events[0].data, read);
  }
}

TEST(EventStream, ReadyRunsOnEveryPushAndOnClose) {
  EventStream stream;
  std::atomic<int> ready{0};
  stream.on_ready([&] { ready.fetch_add(1); });
  stream.push("a");
  EXPECT_EQ(ready.load(), 1);
  stream.push_event("1", "t", "d");
  EXPECT_EQ(ready.load(), 2);
  stream.close();
  EXPECT_EQ(ready.load(), 3);
}

TEST(EventStream, ReadyMayTakeTheTextAtOnce) {
  EventStream stream;
  std::string seen;
  stream.on_ready([&] { seen += stream.take(); });  // would deadlock if run under the lock
  stream.push("hello ");
  stream.push("world");
  EXPECT_EQ(seen, "hello world");
  EXPECT_EQ(stream.take(), "");
}

TEST(EventStream, ReadyRunsOnThePushingThread) {
  EventStream stream;
  std::thread::id ran_on;
  stream.on_ready([&] { ran_on = std::this_thread::get_id(); });
  std::thread::id pusher;
  std::thread producer([&] {
    pusher = std::this_thread::get_id();
    stream.push("x");
  });
  producer.join();
  EXPECT_EQ(ran_on, pusher);
}

TEST(EventStream, CloseEndsAfterWhatIsQueued) {
  EventStream stream;
  stream.push("last words");
  stream.close();
  EXPECT_TRUE(stream.ended());
  EXPECT_FALSE(stream.overflowed());
  EXPECT_FALSE(stream.push("more")) << "push after close";
  EXPECT_FALSE(stream.push_event("1", "t", "more")) << "push_event after close";
  EXPECT_EQ(stream.take(), "last words");
  EXPECT_EQ(stream.take(), "");
}

TEST(EventStream, CloseTwiceNotifiesOnce) {
  EventStream stream;
  int ready = 0;
  stream.on_ready([&] { ++ready; });
  stream.close();
  stream.close();
  EXPECT_EQ(ready, 1);
}

TEST(EventStream, FillingTheBoundExactlyIsAccepted) {
  EventStream stream(10);
  EXPECT_TRUE(stream.push("12345"));
  EXPECT_TRUE(stream.push("67890"));
  EXPECT_FALSE(stream.overflowed());
  EXPECT_EQ(stream.take(), "1234567890");
  EXPECT_TRUE(stream.push("abcdefghij")) << "the bound is on what is queued, not on the total";
  EXPECT_FALSE(stream.ended());
}

TEST(EventStream, OverflowEndsTheStreamAndDropsTheQueue) {
  EventStream stream(10);
  int ready = 0;
  stream.on_ready([&] { ++ready; });
  EXPECT_TRUE(stream.push("123456"));
  EXPECT_FALSE(stream.push("78901"));  // 11 bytes queued: one too many
  EXPECT_TRUE(stream.overflowed());
  EXPECT_TRUE(stream.ended());
  EXPECT_EQ(stream.take(), "") << "what was queued is dropped";
  EXPECT_FALSE(stream.push("x")) << "nothing is accepted after an overflow";
  EXPECT_EQ(stream.take(), "");
  EXPECT_EQ(ready, 2) << "the transport hears of the overflow (it closes the connection)";
}

TEST(EventStream, OneEventLargerThanTheBoundOverflows) {
  EventStream stream(16);
  EXPECT_FALSE(stream.push_event("1", "order.status_changed", "{}"));
  EXPECT_TRUE(stream.overflowed());
  EXPECT_TRUE(stream.ended());
  EXPECT_EQ(stream.take(), "");
}

TEST(EventStream, CancelRunsTheCallbackExactlyOnce) {
  EventStream stream;
  int cancelled = 0;
  stream.on_cancel([&] { ++cancelled; });
  stream.cancel();
  stream.cancel();
  EXPECT_EQ(cancelled, 1);
  EXPECT_TRUE(stream.ended());
  EXPECT_FALSE(stream.overflowed());
  EXPECT_FALSE(stream.push("x")) << "the producer learns the client is gone";
}

TEST(EventStream, CancelFromTwoThreadsRunsTheCallbackOnce) {
  for (int round = 0; round < 200; ++round) {
    EventStream stream;
    std::atomic<int> cancelled{0};
    stream.on_cancel([&] { cancelled.fetch_add(1); });
    std::atomic<bool> go{false};
    std::thread a([&] {
      while (!go.load()) std::this_thread::yield();
      stream.cancel();
    });
    std::thread b([&] {
      while (!go.load()) std::this_thread::yield();
      stream.cancel();
    });
    go = true;
    a.join();
    b.join();
    ASSERT_EQ(cancelled.load(), 1) << "round " << round;
  }
}

TEST(EventStream, CancelWithoutCallbackIsHarmless) {
  EventStream stream;
  stream.cancel();
  EXPECT_TRUE(stream.ended());
  int cancelled = 0;
  stream.on_cancel([&] { ++cancelled; });
  stream.cancel();
  EXPECT_EQ(cancelled, 0) << "the stream was cancelled already";
}

TEST(EventStream, CancelCallbackMayUseTheStream) {
  EventStream stream;
  bool ended_inside = false;
  stream.on_cancel([&] {
    ended_inside = stream.ended();
    stream.push("ignored");  // must not deadlock
  });
  stream.cancel();
  EXPECT_TRUE(ended_inside);
}

TEST(EventStream, CancelAfterCloseStillRunsTheCallback) {
  EventStream stream;
  int cancelled = 0;
  stream.on_cancel([&] { ++cancelled; });
  stream.close();
  stream.cancel();  // the transport ends every stream it took, closed or not
  EXPECT_EQ(cancelled, 1);
}

TEST(EventStream, ConcurrentProducersLoseNothingWithinTheBound) {
  EventStream stream(1 << 20);
  constexpr int producers = 4, pushes = 1000;
  std::vector<std::thread> threads;
  for (int p = 0; p < producers; ++p)
    threads.emplace_back([&, p] {
      for (int i = 0; i < pushes; ++i) stream.push(std::string(1, static_cast<char>('a' + p)));
    });
  std::string taken;
  for (auto& t : threads) t.join();
  taken += stream.take();
  ASSERT_EQ(taken.size(), static_cast<std::size_t>(producers * pushes));
  for (int p = 0; p < producers; ++p)
    EXPECT_EQ(std::count(taken.begin(), taken.end(), static_cast<char>('a' + p)), pushes);
}

}  // namespace
