#include "stripe_emulator/idempotency_cache.hpp"

#include <algorithm>

#include "security/digest.hpp"

namespace mercato::stripe_emulator {

std::string request_fingerprint(std::string_view method, std::string_view path, FormFields fields) {
  // Sorting keeps repeated names (expand[]=a&expand[]=b) in their relative order.
  std::stable_sort(fields.begin(), fields.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::string text;
  text.append(method).append(1, '\n').append(path);
  for (const auto& [name, value] : fields) {
    // Lengths first, so that no choice of names and values can collide with another.
    text.append(1, '\n').append(std::to_string(name.size())).append(1, ':').append(name);
    text.append(std::to_string(value.size())).append(1, ':').append(value);
  }
  return security::sha256_hex(text);
}

std::string IdempotencyCache::entry_key(std::string_view scope, std::string_view key) {
  return std::string(scope) + '\n' + std::string(key);
}

IdempotencyCache::Lookup IdempotencyCache::find(std::string_view scope, std::string_view key,
                                                std::string_view fingerprint, TimePoint now) {
  expire(now);
  auto it = entries_.find(entry_key(scope, key));
  if (it == entries_.end()) return {};
  return {&it->second.answer, it->second.fingerprint == fingerprint};
}

void IdempotencyCache::save(std::string_view scope, std::string_view key, std::string fingerprint,
                            SavedAnswer answer, TimePoint now) {
  auto name = entry_key(scope, key);
  by_age_.emplace_back(now, name);
  entries_.insert_or_assign(std::move(name), Entry{std::move(fingerprint), std::move(answer), now});
}

void IdempotencyCache::expire(TimePoint now) {
  while (!by_age_.empty() && now - by_age_.front().first >= lifetime_) {
    auto it = entries_.find(by_age_.front().second);
    // A key saved again later has a newer entry: only the one saved at this time goes.
    if (it != entries_.end() && it->second.saved_at == by_age_.front().first) entries_.erase(it);
    by_age_.pop_front();
  }
}

}  // namespace mercato::stripe_emulator
