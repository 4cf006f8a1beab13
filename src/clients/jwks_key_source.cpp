#include "clients/jwks_key_source.hpp"

#include <algorithm>

namespace mercato::clients {

namespace {

// A slow provider must not hold a request (or a Lambda invocation) for long.
constexpr std::chrono::milliseconds connect_timeout{2'000};
constexpr std::chrono::milliseconds total_timeout{5'000};

}  // namespace

JwksKeySource::JwksKeySource(std::string url, HttpClient& http, const Clock& clock, observability::Logger& log)
    : url_(std::move(url)), http_(http), clock_(clock), log_(log) {}

JwksKeySource::State JwksKeySource::state() const {
  std::lock_guard lock(state_mutex_);
  return state_;
}

bool JwksKeySource::may_fetch(const State& state, TimePoint now) const {
  if (!state.last_attempt) return true;
  auto since = now - *state.last_attempt;
  return since >= (state.keys ? std::chrono::duration_cast<std::chrono::seconds>(min_refetch_interval)
                              : retry_without_keys);
}

int JwksKeySource::retry_after(const State& state, TimePoint now) const {
  if (!state.last_attempt) return 1;
  auto left = std::chrono::ceil<std::chrono::seconds>(*state.last_attempt + retry_without_keys - now).count();
  return static_cast<int>(std::clamp<std::int64_t>(left, 1, retry_without_keys.count()));
}

security::KeyLookup JwksKeySource::find(std::string_view kid) {
  using Status = security::KeyLookup::Status;
  auto now = clock_.now();
  auto current = state();
  bool fresh = current.keys && now - current.fetched_at < max_key_age;
  if (fresh && current.keys->find(kid)) return {Status::found, current.keys, 0};
  if (may_fetch(current, now)) {
    refresh(current);
    current = state();
  }
  // Day-old keys that still name the kid serve while the provider cannot be reached.
  if (current.keys && current.keys->find(kid)) return {Status::found, current.keys, 0};
  if (!current.keys) return {Status::unavailable, nullptr, retry_after(current, now)};
  return {Status::unknown_kid, nullptr, 0};
}

void JwksKeySource::refresh(const State& seen) {
  std::lock_guard fetching(fetch_mutex_);
  if (state().attempts != seen.attempts) return;  // someone fetched while we waited
  auto keys = fetch();
  std::lock_guard lock(state_mutex_);
  state_.last_attempt = clock_.now();
  ++state_.attempts;
  if (keys) {
    state_.keys = std::move(keys);
    state_.fetched_at = *state_.last_attempt;
  }
}

std::shared_ptr<const security::JwkSet> JwksKeySource::fetch() const {
  HttpCall call;
  call.url = url_;
  call.headers = {{"Accept", "application/json"}};
  call.connect_timeout = connect_timeout;
  call.total_timeout = total_timeout;
  try {
    auto reply = http_.send(call);
    if (reply.status != 200) {
      log_.warn("jwks_fetch_failed", {{"url", url_}, {"status", reply.status}});
      return nullptr;
    }
    auto keys = security::JwkSet::parse(reply.body);
    if (!keys) {
      log_.warn("jwks_fetch_failed", {{"url", url_}, {"detail", "not a JWKS document"}});
      return nullptr;
    }
    log_.info("jwks_fetched", {{"url", url_}, {"keys", keys->size()}});
    return std::make_shared<const security::JwkSet>(std::move(*keys));
  } catch (const HttpTransportError& e) {
    log_.warn("jwks_fetch_failed", {{"url", url_}, {"detail", e.what()}});
    return nullptr;
  }
}

}  // namespace mercato::clients
