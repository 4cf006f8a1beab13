#pragma once
// The signing keys of an identity provider, fetched from its JWKS URL through HttpClient
// and kept in memory. Fetched lazily on the first token (never at start: cold starts
// matter on Lambda), again when a token names an unknown kid (key rotation) but at most
// once a minute, so tokens with random kids cannot make us hammer the provider, and again
// when the keys are a day old.

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "clients/http_client.hpp"
#include "core/clock.hpp"
#include "observability/logger.hpp"
#include "security/signing_key_source.hpp"

namespace mercato::clients {

class JwksKeySource final : public security::SigningKeySource {
 public:
  static constexpr std::chrono::seconds min_refetch_interval{60};
  // While we hold no keys at all (the first fetch failed), retry sooner: every request
  // in between is refused with 503.
  static constexpr std::chrono::seconds retry_without_keys{5};
  static constexpr std::chrono::hours max_key_age{24};

  // http, clock and log must outlive the source.
  JwksKeySource(std::string url, HttpClient& http, const Clock& clock, observability::Logger& log);

  security::KeyLookup find(std::string_view kid) override;

 private:
  using TimePoint = std::chrono::system_clock::time_point;
  struct State {
    std::shared_ptr<const security::JwkSet> keys;  // immutable once published
    TimePoint fetched_at{};
    std::optional<TimePoint> last_attempt;
    std::uint64_t attempts = 0;
  };

  State state() const;
  bool may_fetch(const State& state, TimePoint now) const;
  // Fetches unless another thread has made an attempt since `seen` was read.
  void refresh(const State& seen);
  std::shared_ptr<const security::JwkSet> fetch() const;
  int retry_after(const State& state, TimePoint now) const;

  std::string url_;
  HttpClient& http_;
  const Clock& clock_;
  observability::Logger& log_;
  mutable std::mutex state_mutex_;  // guards state_; held only to copy or replace it
  std::mutex fetch_mutex_;          // one fetch at a time; waiters reuse its result
  State state_;
};

}  // namespace mercato::clients
