#pragma once
// Stripe's idempotent requests (https://docs.stripe.com/api/idempotent_requests): the first
// answer to a POST with an Idempotency-Key is kept for 24 hours with a fingerprint of the
// request; the same key again gets that answer, or an error if the request differs.

#include <chrono>
#include <deque>
#include <map>
#include <string>
#include <string_view>
#include <utility>

#include "stripe_emulator/form_body.hpp"

namespace mercato::stripe_emulator {

inline constexpr std::size_t max_idempotency_key_length = 255;

struct SavedAnswer {
  int status = 200;
  std::string body;
  std::string request_id;  // of the request that produced it (Stripe's Original-Request header)
};

// Method, path and parameters, independent of the order the parameters came in.
std::string request_fingerprint(std::string_view method, std::string_view path, FormFields fields);

class IdempotencyCache {
 public:
  using TimePoint = std::chrono::system_clock::time_point;

  explicit IdempotencyCache(std::chrono::seconds lifetime = std::chrono::hours{24}) : lifetime_(lifetime) {}

  struct Lookup {
    const SavedAnswer* answer = nullptr;  // set when the key is known
    bool same_request = false;            // the fingerprint matches: replay `answer`
  };
  // `scope` separates API keys: the same Idempotency-Key under two secret keys is two keys.
  Lookup find(std::string_view scope, std::string_view key, std::string_view fingerprint, TimePoint now);
  void save(std::string_view scope, std::string_view key, std::string fingerprint, SavedAnswer answer, TimePoint now);
  std::size_t size() const noexcept { return entries_.size(); }

 private:
  struct Entry {
    std::string fingerprint;
    SavedAnswer answer;
    TimePoint saved_at;
  };
  void expire(TimePoint now);
  static std::string entry_key(std::string_view scope, std::string_view key);

  std::chrono::seconds lifetime_;
  std::map<std::string, Entry, std::less<>> entries_;
  std::deque<std::pair<TimePoint, std::string>> by_age_;  // oldest first, for expiry
};

}  // namespace mercato::stripe_emulator
