#include "http/rate_limit/failure_counter.hpp"

#include <algorithm>
#include <stdexcept>

namespace mercato::http {

FailureCounter::FailureCounter(int max_failures, std::chrono::seconds window, std::size_t max_keys, const Clock& clock)
    : max_failures_(max_failures > 0 ? static_cast<std::size_t>(max_failures) : 0),
      window_(window),
      max_keys_(max_keys),
      clock_(clock) {
  if (max_failures < 1) throw std::invalid_argument("FailureCounter: max_failures must be at least 1");
  if (window <= std::chrono::seconds::zero()) throw std::invalid_argument("FailureCounter: window must be positive");
  if (max_keys < 1) throw std::invalid_argument("FailureCounter: max_keys must be at least 1");
}

bool FailureCounter::blocked(std::string_view key) const { return retry_after_seconds(key) > 0; }

int FailureCounter::retry_after_seconds(std::string_view key) const {
  auto now = clock_.now();
  std::lock_guard lock(mutex_);
  return remaining_seconds(key, now);
}

int FailureCounter::remaining_seconds(std::string_view key, TimePoint now) const {
  auto found = index_.find(key);
  if (found == index_.end()) return 0;
  const auto& failures = found->second->failures;
  // Only the newest max_failures are kept, so blocked means: all kept, and the oldest still counts.
  if (failures.size() < max_failures_) return 0;
  auto left = failures.front() + window_ - now;
  if (left <= std::chrono::system_clock::duration::zero()) return 0;
  auto seconds = std::chrono::ceil<std::chrono::seconds>(left).count();
  return static_cast<int>(std::max<decltype(seconds)>(seconds, 1));
}

void FailureCounter::record_failure(std::string_view key) {
  auto now = clock_.now();
  std::lock_guard lock(mutex_);
  auto found = index_.find(key);
  if (found != index_.end()) {
    lru_.splice(lru_.begin(), lru_, found->second);
  } else {
    // The least recently updated key has the oldest failures: the likeliest to have expired anyway.
    if (index_.size() >= max_keys_) {
      index_.erase(lru_.back().key);  // before the node holding the viewed key goes
      lru_.pop_back();
    }
    lru_.push_front(Entry{std::string{key}, {}});
    try {
      index_.emplace(lru_.front().key, lru_.begin());
    } catch (...) {
      lru_.pop_front();  // keep list and index in step if the map cannot grow
      throw;
    }
  }
  auto& failures = lru_.front().failures;
  std::erase_if(failures, [&](TimePoint t) { return t + window_ <= now; });
  // Sorted insert rather than push_back: a wall clock that steps back must not leave the oldest
  // failure anywhere but at the front.
  failures.insert(std::upper_bound(failures.begin(), failures.end(), now), now);
  // Older failures cannot matter once max_failures newer ones exist.
  if (failures.size() > max_failures_) failures.erase(failures.begin());
}

void FailureCounter::reset(std::string_view key) {
  std::lock_guard lock(mutex_);
  auto found = index_.find(key);
  if (found == index_.end()) return;
  auto node = found->second;
  index_.erase(found);
  lru_.erase(node);
}

std::size_t FailureCounter::size() const {
  std::lock_guard lock(mutex_);
  return index_.size();
}

}  // namespace mercato::http
