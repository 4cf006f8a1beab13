#pragma once
// Delivers order status changes to the live subscribers (event streams) allowed to see
// them: the customer who owns the order, the vendors with an item in it, and admins.
// In-process; with PostgreSQL every server process feeds its hub from LISTEN, so a change
// made through one process reaches subscribers of all.

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>

#include "core/principal.hpp"
#include "domain/orders/order.hpp"

namespace mercato::domain {

inline constexpr std::size_t max_event_streams_per_user = 5;

bool event_visible_to(const Principal& viewer, const OrderStatusChanged& event);

class OrderEventHub {
 public:
  // Called with the hub's lock held: must not block or call back into the hub. False drops
  // the subscriber (e.g. its client is too slow).
  using Deliver = std::function<bool(const OrderStatusChanged&)>;

  // 429 `too_many_streams` when the user already has max_event_streams_per_user.
  std::uint64_t subscribe(const Principal& viewer, Deliver deliver);
  void unsubscribe(std::uint64_t id);
  void publish(const OrderStatusChanged& event);
  std::size_t subscribers() const;

 private:
  struct Subscriber {
    Principal viewer;
    Deliver deliver;
  };

  mutable std::mutex mutex_;
  std::uint64_t next_id_ = 1;
  std::map<std::uint64_t, Subscriber> subscribers_;
};

}  // namespace mercato::domain
