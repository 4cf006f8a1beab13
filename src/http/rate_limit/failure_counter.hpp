#pragma once
// Failed logins per account in a sliding window, so that guessing one account's password is slow
// whatever the IP. Thread-safe and bounded: max_failures timestamps per key, at most max_keys keys.

#include <chrono>
#include <cstddef>
#include <list>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/clock.hpp"

namespace mercato::http {

class FailureCounter {
 public:
  // Throws std::invalid_argument unless every limit is positive. The clock must outlive the counter.
  FailureCounter(int max_failures, std::chrono::seconds window, std::size_t max_keys, const Clock& clock);
  FailureCounter(const FailureCounter&) = delete;
  FailureCounter& operator=(const FailureCounter&) = delete;

  // True when max_failures or more failures fall within the window ending now.
  bool blocked(std::string_view key) const;
  // 0 when not blocked; otherwise whole seconds until the oldest counted failure leaves the window.
  int retry_after_seconds(std::string_view key) const;
  void record_failure(std::string_view key);
  // After a successful login.
  void reset(std::string_view key);
  // Keys held right now; never more than max_keys.
  std::size_t size() const;

 private:
  using TimePoint = std::chrono::system_clock::time_point;
  struct Entry {
    std::string key;
    std::vector<TimePoint> failures;  // oldest first, at most max_failures_
  };

  // Seconds until the key unblocks, or 0; expects mutex_ held.
  int remaining_seconds(std::string_view key, TimePoint now) const;

  std::size_t max_failures_;
  std::chrono::system_clock::duration window_;
  std::size_t max_keys_;
  const Clock& clock_;
  mutable std::mutex mutex_;  // logins are rare next to requests, so one lock does not contend
  std::list<Entry> lru_;      // most recently updated first; nodes never move, so index_ can view keys
  std::unordered_map<std::string_view, std::list<Entry>::iterator> index_;
};

}  // namespace mercato::http
