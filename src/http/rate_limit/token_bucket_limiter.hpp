#pragma once
// Per-key token buckets for request rate limits: a burst of per_minute, then per_minute/60 a second.
// Thread-safe and bounded: at most max_keys buckets, evicting full ones first, then the least recently used.

#include <cstddef>
#include <cstdint>
#include <list>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/clock.hpp"

namespace mercato::http {

class TokenBucketLimiter {
 public:
  struct Decision {
    bool allowed;
    int retry_after_seconds;  // 0 when allowed; otherwise whole seconds until one token, at least 1
  };

  // Throws std::invalid_argument unless per_minute >= 1 and max_keys >= 1.
  // The clock must outlive the limiter.
  TokenBucketLimiter(int per_minute, std::size_t max_keys, const Clock& clock);
  TokenBucketLimiter(const TokenBucketLimiter&) = delete;
  TokenBucketLimiter& operator=(const TokenBucketLimiter&) = delete;

  Decision take(std::string_view key);
  // Buckets held right now; never more than max_keys.
  std::size_t size() const;

 private:
  // Tokens are counted in units of 1/60,000,000 of a token (one per microsecond at one token a
  // minute), so refilling at per_minute/60 a second is exact integer arithmetic.
  using Units = std::int64_t;
  using Micros = std::int64_t;

  struct Bucket {
    std::string key;
    Units tokens;
    Micros updated;  // when tokens was last brought up to date
  };
  struct Shard {
    mutable std::mutex mutex;
    std::list<Bucket> lru;  // most recently used first; nodes never move, so index can view their keys
    std::unordered_map<std::string_view, std::list<Bucket>::iterator> index;
    std::size_t capacity = 0;
  };

  Shard& shard_for(std::string_view key);
  Units tokens_at(const Bucket& bucket, Micros now) const;
  void evict_one(Shard& shard, Micros now);
  Bucket& insert(Shard& shard, std::string_view key, Micros now);

  Units per_minute_;
  Units capacity_;  // per_minute whole tokens
  const Clock& clock_;
  std::vector<Shard> shards_;
};

}  // namespace mercato::http
