#include "domain/orders/order_event_hub.hpp"

#include <algorithm>
#include <vector>

#include "core/error.hpp"

namespace mercato::domain {

bool event_visible_to(const Principal& viewer, const OrderStatusChanged& event) {
  if (viewer.role == "admin" || viewer.user_id == event.user_id) return true;
  return viewer.role == "vendor" &&
         std::find(event.vendor_ids.begin(), event.vendor_ids.end(), viewer.user_id) != event.vendor_ids.end();
}

std::uint64_t OrderEventHub::subscribe(const Principal& viewer, Deliver deliver) {
  std::lock_guard lock(mutex_);
  auto streams = std::count_if(subscribers_.begin(), subscribers_.end(),
                               [&](const auto& entry) { return entry.second.viewer.user_id == viewer.user_id; });
  if (static_cast<std::size_t>(streams) >= max_event_streams_per_user)
    throw Error{ErrorKind::rate_limited, "too_many_streams",
                "Too many open event streams for this account; close one first."}
        .with_retry_after(15);
  auto id = next_id_++;
  subscribers_.emplace(id, Subscriber{viewer, std::move(deliver)});
  return id;
}

void OrderEventHub::unsubscribe(std::uint64_t id) {
  std::lock_guard lock(mutex_);
  subscribers_.erase(id);
}

// Delivery is a push into a bounded buffer, so holding the lock is brief whatever the
// clients do.
void OrderEventHub::publish(const OrderStatusChanged& event) {
  std::lock_guard lock(mutex_);
  std::vector<std::uint64_t> dropped;
  for (auto& [id, subscriber] : subscribers_)
    if (event_visible_to(subscriber.viewer, event) && !subscriber.deliver(event)) dropped.push_back(id);
  for (auto id : dropped) subscribers_.erase(id);
}

std::size_t OrderEventHub::subscribers() const {
  std::lock_guard lock(mutex_);
  return subscribers_.size();
}

}  // namespace mercato::domain
