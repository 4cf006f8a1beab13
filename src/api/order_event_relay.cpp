#include "api/order_event_relay.hpp"

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

namespace mercato::api {

bool OrderEventRelay::deliver(const domain::OrderStatusChanged& event) {
  std::lock_guard lock(mutex_);
  if (!live_) {
    held_.push_back(event);
    return !stream_->ended();
  }
  // A replayed change can still come from the hub: its NOTIFY may trail the replay's read.
  if (replayed_.contains(event.event_id)) return !stream_->ended();
  return send(event);
}

void OrderEventRelay::replay(const std::vector<domain::OrderStatusChanged>& missed) {
  std::lock_guard lock(mutex_);
  for (const auto& event : missed) {
    replayed_.insert(event.event_id);
    send(event);
  }
}

void OrderEventRelay::go_live() {
  std::lock_guard lock(mutex_);
  for (const auto& event : held_)
    if (!replayed_.contains(event.event_id)) send(event);
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
