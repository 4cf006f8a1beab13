#pragma once
// Feeds one event stream: the events missed since the client's Last-Event-ID first, then
// live ones from the hub, each once. Live events that arrive while the missed ones are read
// are held back until those are sent; a live event the client already has (numbered at or
// below its Last-Event-ID or the last replayed one) is dropped, as NOTIFY may trail the
// replay's read.

#include <memory>
#include <mutex>
#include <cstdint>
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
  // `last_seen` is the client's Last-Event-ID; `missed` what followed it, in order.
  void replay(std::int64_t last_seen, const std::vector<domain::OrderStatusChanged>& missed);
  // Too much was missed to replay: the client is told to refetch (event `resync`).
  void resync(std::int64_t last_seen);
  // Sends what was held back and passes live events straight on from now.
  void go_live();

 private:
  bool send(const domain::OrderStatusChanged& event);

  std::shared_ptr<http::EventStream> stream_;
  std::mutex mutex_;
  bool live_ = false;
  std::vector<domain::OrderStatusChanged> held_;
  std::int64_t floor_ = 0;  // the client has every event numbered up to this
};

}  // namespace mercato::api
