#include "stripe_emulator/webhook_delivery.hpp"

#include "clients/stripe/webhook_signature.hpp"

namespace mercato::stripe_emulator {

namespace {

std::int64_t unix_seconds(std::chrono::system_clock::time_point time) {
  return std::chrono::duration_cast<std::chrono::seconds>(time.time_since_epoch()).count();
}

}  // namespace

WebhookDelivery::WebhookDelivery(WebhookEndpoint endpoint, clients::HttpClient& client, const Clock& clock,
                                 observability::Logger& log)
    : endpoint_(std::move(endpoint)), client_(client), clock_(clock), log_(log) {}

void WebhookDelivery::enqueue(std::string event_id, std::string type, std::string payload) {
  if (!enabled()) return;
  std::lock_guard lock(mutex_);
  queue_.emplace(next_sequence_++, Entry{std::move(event_id), std::move(type), std::move(payload), 0, clock_.now()});
}

std::size_t WebhookDelivery::pending() const {
  std::lock_guard lock(mutex_);
  return queue_.size();
}

std::optional<WebhookDelivery::TimePoint> WebhookDelivery::next_due() const {
  std::lock_guard lock(mutex_);
  std::optional<TimePoint> earliest;
  for (const auto& [sequence, entry] : queue_)
    if (!earliest || entry.due < *earliest) earliest = entry.due;
  return earliest;
}

std::vector<std::pair<std::uint64_t, WebhookDelivery::Entry>> WebhookDelivery::take_due(TimePoint now) const {
  std::lock_guard lock(mutex_);
  std::vector<std::pair<std::uint64_t, Entry>> due;
  for (const auto& [sequence, entry] : queue_)
    if (entry.due <= now) due.emplace_back(sequence, entry);
  return due;
}

std::size_t WebhookDelivery::deliver_due() {
  std::lock_guard run(run_mutex_);
  std::size_t delivered = 0;
  for (const auto& [sequence, entry] : take_due(clock_.now())) {
    bool ok = attempt(entry);
    settle(sequence, ok);
    if (ok) ++delivered;
  }
  return delivered;
}

bool WebhookDelivery::attempt(const Entry& entry) {
  clients::HttpCall call;
  call.method = "POST";
  call.url = endpoint_.url;
  call.body = entry.payload;
  call.total_timeout = endpoint_.attempt_timeout;
  call.headers = {{"Content-Type", "application/json; charset=utf-8"},
                  {"User-Agent", "Stripe/1.0 (+https://stripe.com/docs/webhooks)"},
                  {"Accept", "*/*; q=0.5, application/xml"},
                  {"Cache-Control", "no-cache"},
                  {"Stripe-Signature", clients::stripe::sign_webhook(endpoint_.secret, unix_seconds(clock_.now()),
                                                                     entry.payload)}};
  boost::json::object fields{{"event_id", entry.event_id}, {"type", entry.type}, {"attempt", entry.failures + 1}};
  try {
    auto reply = client_.send(call);
    fields["status"] = reply.status;
    bool ok = reply.status >= 200 && reply.status < 300;
    log_.log(ok ? observability::LogLevel::info : observability::LogLevel::warn, "stripe_emulator_webhook", fields);
    return ok;
  } catch (const std::exception& e) {  // HttpTransportError, or libcurl failing to start
    fields["error"] = e.what();
    log_.warn("stripe_emulator_webhook", fields);
    return false;
  }
}

void WebhookDelivery::settle(std::uint64_t sequence, bool delivered) {
  std::lock_guard lock(mutex_);
  auto it = queue_.find(sequence);
  if (it == queue_.end()) return;
  auto& entry = it->second;
  if (delivered) {
    queue_.erase(it);
    return;
  }
  if (entry.failures >= endpoint_.retry_delays.size()) {
    log_.error("stripe_emulator_webhook_given_up",
               {{"event_id", entry.event_id}, {"type", entry.type}, {"attempts", entry.failures + 1}});
    queue_.erase(it);
    return;
  }
  entry.due = clock_.now() + endpoint_.retry_delays[entry.failures];
  ++entry.failures;
}

}  // namespace mercato::stripe_emulator
