#pragma once
// Webhook delivery (https://docs.stripe.com/webhooks): each event is POSTed to the endpoint,
// signed at each attempt with that attempt's time. A 2xx answer is success; anything else,
// or no answer, is tried again after the next delay of the schedule, then given up and
// logged. Events go out in creation order, but a failing one does not hold back the rest.

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "clients/http_client.hpp"
#include "core/clock.hpp"
#include "observability/logger.hpp"

namespace mercato::stripe_emulator {

struct WebhookEndpoint {
  std::string url;     // empty: webhooks are off and nothing is queued
  std::string secret;  // whsec_...
  std::vector<std::chrono::milliseconds> retry_delays;  // after the 1st, 2nd, ... failed attempt
  std::chrono::milliseconds attempt_timeout{10'000};
};

class WebhookDelivery {
 public:
  using TimePoint = std::chrono::system_clock::time_point;

  // `client`, `clock` and `log` belong to the caller and must outlive this object.
  WebhookDelivery(WebhookEndpoint endpoint, clients::HttpClient& client, const Clock& clock,
                  observability::Logger& log);

  bool enabled() const noexcept { return !endpoint_.url.empty(); }
  // Queues an event, due at once. Thread-safe.
  void enqueue(std::string event_id, std::string type, std::string payload);
  // Attempts every event due now, once each, in creation order; returns how many succeeded.
  // One run at a time: a second caller waits for the first. Never holds the queue lock
  // while posting, so enqueue() is never blocked by a slow endpoint.
  std::size_t deliver_due();
  // Events still to be delivered (given-up events are not counted).
  std::size_t pending() const;
  // When the earliest queued event is due; nullopt when none is queued.
  std::optional<TimePoint> next_due() const;

 private:
  struct Entry {
    std::string event_id;
    std::string type;
    std::string payload;
    std::size_t failures = 0;
    TimePoint due;
  };

  std::vector<std::pair<std::uint64_t, Entry>> take_due(TimePoint now) const;
  bool attempt(const Entry& entry);
  void settle(std::uint64_t sequence, bool delivered);

  WebhookEndpoint endpoint_;
  clients::HttpClient& client_;
  const Clock& clock_;
  observability::Logger& log_;
  std::mutex run_mutex_;
  mutable std::mutex mutex_;
  std::map<std::uint64_t, Entry> queue_;  // by sequence: creation order
  std::uint64_t next_sequence_ = 0;
};

}  // namespace mercato::stripe_emulator
