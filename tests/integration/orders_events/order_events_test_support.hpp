#pragma once
// Shared helpers for the order event stream API tests (GET /api/orders/events, tickets):
// a harness whose hub is fed as in `mercato serve` (LISTEN on PostgreSQL), streams opened
// in process and read with EventStream::take, and SSE parsing of what they hold.
//
// In process nothing plays the transport, so the fixture cancels every stream it opened at
// the end of each test (what the server does when the client goes) and checks that the hub
// has no subscriber left.

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "app/order_event_listener.hpp"
#include "http/event_stream.hpp"
#include "integration/orders/orders_test_support.hpp"
#include "security/uuid.hpp"
#include "support/sse_client.hpp"

namespace mercato::testing::order_events {

using namespace std::chrono_literals;
using orders::World;

inline constexpr std::string_view events_path = "/api/orders/events";
inline constexpr std::string_view ticket_path = "/api/orders/events/ticket";
inline constexpr std::string_view status_changed = "order.status_changed";

// Polls `condition` every few milliseconds until it holds or `limit` passes.
inline bool eventually(const std::function<bool()>& condition, std::chrono::milliseconds limit = 5s) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (!condition()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(5ms);
  }
  return true;
}

// An event id as the server writes it: a sequence number, decimal, no sign, no leading zero.
inline std::optional<std::int64_t> sequence_number(const std::string& id) {
  if (id.empty() || id.size() > 18 || id.find_first_not_of("0123456789") != std::string::npos || id[0] == '0')
    return std::nullopt;
  return std::stoll(id);
}

// One GET /api/orders/events answer and what its stream yielded so far.
struct Subscription {
  http::Response response;
  std::shared_ptr<http::EventStream> stream;
  std::string text;  // everything taken from the stream, in order

  const std::string& drain() {
    if (stream) text += stream->take();
    return text;
  }
  // The events (not the retry hint) received so far.
  std::vector<mercato::test::SseEvent> events() { return mercato::test::sse_events(drain()); }
};

// An order.status_changed event, its data parsed.
struct StatusEvent {
  std::string id;
  std::string order_id;
  std::string status;
  std::string previous_status;
  std::string updated_at;
  std::size_t data_fields = 0;
};

inline std::optional<StatusEvent> status_event(const mercato::test::SseEvent& e) {
  if (e.event != status_changed) {
    ADD_FAILURE() << "event type '" << e.event << "'";
    return std::nullopt;
  }
  boost::system::error_code ec;
  auto value = boost::json::parse(e.data, ec);
  if (ec || !value.is_object()) {
    ADD_FAILURE() << "data is not a JSON object: " << e.data;
    return std::nullopt;
  }
  const auto& o = value.as_object();
  auto text = [&](std::string_view key) {
    auto* field = o.if_contains(key);
    return field && field->is_string() ? std::string(field->as_string()) : std::string("<missing>");
  };
  return StatusEvent{e.id, text("order_id"), text("status"), text("previous_status"), text("updated_at"), o.size()};
}

class OrderEventsTest : public orders::OrdersTest {
 protected:
  void SetUp() override {
    orders::OrdersTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    app_ = std::make_unique<AppHarness>(database(), orders::accounts_config());
    // What `mercato serve` does: on PostgreSQL the hub hears of changes through LISTEN.
    listener_ = std::make_unique<app::OrderEventListener>(db_->url(), app_->application(), listener_log_);
    listener_->start();
    // An observer on the hub (not a stream): tests wait on it until the hub has heard of a
    // change before they open streams. On PostgreSQL the hub hears through LISTEN, a little
    // after the commit; a stream opened in between would get that older change live.
    observer_ = hub().subscribe(Principal{"observer", "admin", "", true}, [seen = heard_](const domain::OrderStatusChanged& e) {
      std::lock_guard lock(seen->mutex);
      seen->ids.insert(e.event_id);
      return true;
    });
    world_ = orders::make_world(*app_);
  }

  void TearDown() override {
    if (app_) {
      for (auto& s : opened_)
        if (s.stream) s.stream->cancel();  // what the transport does when the client goes
      if (observer_) hub().unsubscribe(observer_);
      EXPECT_EQ(hub().subscribers(), 0u) << "the hub kept subscribers of cancelled streams";
    }
    opened_.clear();
    listener_.reset();
    app_.reset();
    orders::OrdersTest::TearDown();
  }

  AppHarness& app() { return *app_; }
  const World& world() const { return world_; }
  domain::OrderEventHub& hub() { return app_->application().order_events(); }
  // Subscribers of the hub that are streams (the observer left out).
  std::size_t streams() { return hub().subscribers() - (observer_ ? 1 : 0); }
  // Waits until the hub has delivered the event `id` (a sequence number).
  bool heard(const std::string& id) {
    return eventually([&] {
      std::lock_guard lock(heard_->mutex);
      return heard_->ids.contains(id);
    });
  }
  // Waits until the hub has delivered the change of `order` to `to`.
  void settle(const std::string& order, const std::string& to) {
    EXPECT_TRUE(heard(event_id(order, to))) << "the hub never heard of " << order << " -> " << to;
  }

  // GET /api/orders/events with these headers and query ("?..."); kept for TearDown.
  Subscription& open(http::Headers headers, const std::string& query = "") {
    auto response = app_->call(http::Method::get, std::string(events_path) + query, {}, std::move(headers));
    auto& s = opened_.emplace_back();
    s.stream = response.stream;
    s.response = std::move(response);
    return s;
  }
  Subscription& open_as(const orders::Session& who, http::Headers extra = {}) {
    auto headers = orders::bearer(who.access_token);
    for (const auto& [name, value] : extra.entries()) headers.add(name, value);
    return open(std::move(headers));
  }
  // A stream that must open: 200, a stream, the retry hint first (then taken away).
  Subscription& open_ok(const orders::Session& who, http::Headers extra = {}) {
    auto& s = open_as(who, std::move(extra));
    expect_opened(s);
    return s;
  }
  void expect_opened(Subscription& s) {
    EXPECT_EQ(s.response.status, 200) << s.response.body;
    EXPECT_TRUE(s.stream) << "no stream";
    if (!s.stream) return;
    s.drain();
    EXPECT_EQ(s.text.rfind("retry: 3000\n\n", 0), 0u) << "the stream does not start with the retry hint: " << s.text;
    if (s.text.rfind("retry: 3000\n\n", 0) == 0) s.text.erase(0, 13);
  }

  // Waits until `s` holds at least `n` events.
  bool wait_events(Subscription& s, std::size_t n, std::chrono::milliseconds limit = 5s) {
    return eventually([&] { return s.events().size() >= n; }, limit);
  }

  // The only event `s` holds, parsed; waits for it first.
  std::optional<StatusEvent> one_event(Subscription& s, const std::string& who) {
    if (!wait_events(s, 1)) {
      ADD_FAILURE() << who << " got no event; stream text: " << s.text;
      return std::nullopt;
    }
    auto events = s.events();
    EXPECT_EQ(events.size(), 1u) << who << " got more than one event: " << s.text;
    return status_event(events.front());
  }

  // The event id of the change of `order_id` to `to`: its sequence number (seq in
  // order_status_history), as decimal text.
  std::string event_id(const std::string& order_id, const std::string& to) {
    auto lease = database().acquire();
    auto result = lease->execute(
        "SELECT seq FROM order_status_history WHERE order_id = $1 AND to_status = $2 AND from_status IS NOT NULL",
        {order_id, to});
    if (result.rows.size() != 1) {
      ADD_FAILURE() << "history rows of " << order_id << " to " << to << ": " << result.rows.size();
      return {};
    }
    return result.rows[0].text(0);
  }
  // The sequence numbers of every status change, in order.
  std::vector<std::int64_t> all_event_ids() {
    auto lease = database().acquire();
    std::vector<std::int64_t> ids;
    for (const auto& row :
         lease->execute("SELECT seq FROM order_status_history WHERE from_status IS NOT NULL ORDER BY seq").rows)
      ids.push_back(row.int64(0));
    return ids;
  }

  std::unique_ptr<AppHarness> app_;
  World world_;

 private:
  SystemClock listener_clock_;
  std::ostringstream listener_out_;
  observability::Logger listener_log_{listener_out_, observability::LogLevel::info, listener_clock_};
  std::unique_ptr<app::OrderEventListener> listener_;
  struct Heard {
    std::mutex mutex;
    std::set<std::string> ids;
  };
  std::shared_ptr<Heard> heard_ = std::make_shared<Heard>();
  std::uint64_t observer_ = 0;
  std::deque<Subscription> opened_;
};

}  // namespace mercato::testing::order_events
