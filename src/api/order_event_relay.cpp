#include "api/order_event_relay.hpp"

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <algorithm>
#include <charconv>

namespace mercato::api {

namespace {

std::int64_t sequence_of(const domain::OrderStatusChanged& event) {
  std::int64_t seq = 0;
  std::from_chars(event.event_id.data(), event.event_id.data() + event.event_id.size(), seq);
  return seq;
}

}  // namespace

bool OrderEventRelay::deliver(const domain::OrderStatusChanged& event) {
  std::lock_guard lock(mutex_);
  if (!live_) {
    held_.push_back(event);
    return !stream_->ended();
  }
  if (sequence_of(event) <= floor_) return !stream_->ended();
  return send(event);
}

void OrderEventRelay::replay(std::int64_t last_seen, const std::vector<domain::OrderStatusChanged>& missed) {
  std::lock_guard lock(mutex_);
  floor_ = last_seen;
  for (const auto& event : missed) {
    floor_ = std::max(floor_, sequence_of(event));
    send(event);
  }
}

void OrderEventRelay::resync(std::int64_t last_seen) {
  std::lock_guard lock(mutex_);
  floor_ = last_seen;
  stream_->push_event({}, "resync", "{}");
}

void OrderEventRelay::go_live() {
  std::lock_guard lock(mutex_);
  for (const auto& event : held_)
    if (sequence_of(event) > floor_) send(event);
  held_.clear();
  live_ = true;
}

// Only what the client needs to refetch: no totals, no items, no other party's ids.
bool OrderEventRelay::send(const domain::OrderStatusChanged& event) {
  auto data = boost::json::serialize(boost::json::object{{"order_id", event.order_id},
                                                         {"status", domain::to_string(event.status)},
                                                         {"previous_status", domain::to_string(event.previous_status)},
                                                         {"updated_at", event.updated_at}});
  return stream_->push_event(event.event_id, order_event_type, data);
}

}  // namespace mercato::api
