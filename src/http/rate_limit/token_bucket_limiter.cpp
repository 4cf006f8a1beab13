#include "http/rate_limit/token_bucket_limiter.hpp"

#include <algorithm>
#include <chrono>
#include <functional>
#include <stdexcept>

namespace mercato::http {

namespace {

constexpr std::int64_t micros_per_minute = 60'000'000;
constexpr std::int64_t micros_per_second = 1'000'000;
constexpr std::int64_t one_token = micros_per_minute;  // in Units

// Sharding only pays off under contention, which needs many keys; a shard much smaller than
// this would evict unfairly early while its neighbours still have room.
constexpr std::size_t max_shards = 16;
constexpr std::size_t min_keys_per_shard = 64;

// Looking for a full bucket to evict is bounded so that a flood of new keys costs O(1) each;
// the least recently used end is where full buckets are most likely to be.
constexpr std::size_t eviction_scan_limit = 32;

std::int64_t micros_since_epoch(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count();
}

}  // namespace

TokenBucketLimiter::TokenBucketLimiter(int per_minute, std::size_t max_keys, const Clock& clock)
    : per_minute_(per_minute), capacity_(static_cast<Units>(per_minute) * one_token), clock_(clock) {
  if (per_minute < 1) throw std::invalid_argument("TokenBucketLimiter: per_minute must be at least 1");
  if (max_keys < 1) throw std::invalid_argument("TokenBucketLimiter: max_keys must be at least 1");
  auto count = std::clamp<std::size_t>(max_keys / min_keys_per_shard, 1, max_shards);
  // A vector sized up front only default-constructs, so the non-movable mutexes are fine.
  shards_ = std::vector<Shard>(count);
  for (std::size_t i = 0; i < count; ++i) shards_[i].capacity = max_keys / count + (i < max_keys % count ? 1 : 0);
}

TokenBucketLimiter::Decision TokenBucketLimiter::take(std::string_view key) {
  auto now = micros_since_epoch(clock_.now());
  auto& shard = shard_for(key);
  std::lock_guard lock(shard.mutex);

  Bucket* bucket = nullptr;
  if (auto found = shard.index.find(key); found != shard.index.end()) {
    shard.lru.splice(shard.lru.begin(), shard.lru, found->second);
    bucket = &*found->second;
    bucket->tokens = tokens_at(*bucket, now);
    bucket->updated = std::max(bucket->updated, now);
  } else {
    bucket = &insert(shard, key, now);
  }

  if (bucket->tokens >= one_token) {
    bucket->tokens -= one_token;
    return {true, 0};
  }
  // Refill adds per_minute Units a microsecond, i.e. per_minute * 1e6 a second.
  auto missing = one_token - bucket->tokens;
  auto per_second = per_minute_ * micros_per_second;
  auto seconds = (missing + per_second - 1) / per_second;
  return {false, static_cast<int>(std::max<Units>(seconds, 1))};
}

std::size_t TokenBucketLimiter::size() const {
  std::size_t total = 0;
  for (const auto& shard : shards_) {
    std::lock_guard lock(shard.mutex);
    total += shard.index.size();
  }
  return total;
}

TokenBucketLimiter::Shard& TokenBucketLimiter::shard_for(std::string_view key) {
  auto hash = std::hash<std::string_view>{}(key);
  // The shard's own map also buckets by this hash; mixing in the high bits keeps the two apart.
  return shards_[(hash ^ (hash >> 32)) % shards_.size()];
}

TokenBucketLimiter::Units TokenBucketLimiter::tokens_at(const Bucket& bucket, Micros now) const {
  // A wall clock may step backwards; that time was already counted, so nothing is added.
  if (now <= bucket.updated) return bucket.tokens;
  // From empty to full takes exactly one minute; clamping first keeps the product from overflowing.
  auto elapsed = std::min(now - bucket.updated, micros_per_minute);
  return std::min(capacity_, bucket.tokens + elapsed * per_minute_);
}

void TokenBucketLimiter::evict_one(Shard& shard, Micros now) {
  auto victim = std::prev(shard.lru.end());
  auto candidate = victim;
  for (std::size_t scanned = 0; scanned < eviction_scan_limit; ++scanned) {
    // A full bucket behaves exactly like a missing one, so dropping it forgets nothing.
    if (tokens_at(*candidate, now) >= capacity_) {
      victim = candidate;
      break;
    }
    if (candidate == shard.lru.begin()) break;
    --candidate;
  }
  shard.index.erase(victim->key);  // before the node holding the viewed key goes
  shard.lru.erase(victim);
}

TokenBucketLimiter::Bucket& TokenBucketLimiter::insert(Shard& shard, std::string_view key, Micros now) {
  if (shard.index.size() >= shard.capacity) evict_one(shard, now);
  shard.lru.push_front(Bucket{std::string{key}, capacity_, now});
  try {
    shard.index.emplace(shard.lru.front().key, shard.lru.begin());
  } catch (...) {
    shard.lru.pop_front();  // keep list and index in step if the map cannot grow
    throw;
  }
  return shard.lru.front();
}

}  // namespace mercato::http
