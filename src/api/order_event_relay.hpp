#pragma once
// Feeds one event stream: the events missed since the client's Last-Event-ID first, then
// live ones from the hub, in order and each once. Live events that arrive while the
// missed ones are read are held back until those are sent.

#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "domain/orders/order.hpp"
#include "http/event_stream.hpp"

namespace mercato::api {

inline constexpr std::string_view order_event_type = "order.status_changed";

class OrderEventRelay {
 public:
  explicit OrderEventRelay(std::shared_ptr<http::EventStream> stream) : stream_(std::move(stream)) {}

  // From the hub (any thread). False once the stream has ended.
  bool deliver(const domain::OrderStatusChanged& event);
  void replay(const std::vector<domain::OrderStatusChanged>& missed);
  // Sends what was held back and passes live events straight on from now.
  void go_live();

 private:
  bool send(const domain::OrderStatusChanged& event);

  std::shared_ptr<http::EventStream> stream_;
  std::mutex mutex_;
  bool live_ = false;
  std::vector<domain::OrderStatusChanged> held_;
  std::set<std::string> replayed_;  // at most max_replayed_events ids, for the stream's life
};

}  // namespace mercato::api
