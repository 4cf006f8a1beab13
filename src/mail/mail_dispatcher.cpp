#include "mail/mail_dispatcher.hpp"

#include <stdexcept>

#include "core/time_format.hpp"

namespace mercato::mail {

MailDispatcher::MailDispatcher(db::OutboxRepository& outbox, MailSender& sender, observability::Logger& log,
                               const Clock& clock, Options options)
    : outbox_(outbox), sender_(sender), log_(log), clock_(clock), options_(options) {
  if (options_.batch == 0 || options_.max_attempts < 1) throw std::invalid_argument("bad mail dispatcher options");
}

void MailDispatcher::start() {
  if (thread_.joinable()) throw std::logic_error("the mail dispatcher is already running");
  thread_ = std::jthread([this](std::stop_token stop) { run(stop); });
}

void MailDispatcher::wake() {
  {
    std::lock_guard lock(mutex_);
    woken_ = true;
  }
  wakeup_.notify_one();
}

void MailDispatcher::stop() {
  if (!thread_.joinable()) return;
  thread_.request_stop();  // also interrupts the wait in run()
  thread_.join();
}

std::size_t MailDispatcher::deliver_due() { return deliver_batch(std::stop_token{}).sent; }

std::chrono::seconds MailDispatcher::backoff(int failed_attempts) const {
  auto delay = options_.backoff_base;
  for (int i = 1; i < failed_attempts && delay < options_.backoff_cap; ++i) delay *= 2;
  return std::min(delay, options_.backoff_cap);
}

MailDispatcher::Pass MailDispatcher::deliver_batch(std::stop_token stop) {
  auto claimed =
      outbox_.claim_due(options_.batch, options_.lease, [this](const std::string& id, const std::string& error) {
        log_.error("mail_payload_unreadable", {{"email_id", id}, {"error", error}});
      });
  Pass pass{claimed.size(), 0};
  for (const auto& email : claimed) {
    if (stop.stop_requested()) break;
    if (deliver_one(email)) ++pass.sent;
  }
  return pass;
}

bool MailDispatcher::deliver_one(const db::PendingEmail& email) {
  int attempt = email.attempts + 1;
  try {
    sender_.send(email.message);
  } catch (const MailError& e) {
    record_failure(email, attempt, e.what(), e.permanent());
    return false;
  } catch (const std::exception& e) {
    record_failure(email, attempt, e.what(), false);
    return false;
  }
  // Logged before it is recorded: if recording fails the email was still sent, and will be
  // sent again when its lease ends (at-least-once), which this line then explains.
  log_.info("mail_sent", {{"email_id", email.id}, {"attempt", attempt}});
  outbox_.mark_sent(email.id);
  return true;
}

void MailDispatcher::record_failure(const db::PendingEmail& email, int attempt, const std::string& error,
                                    bool permanent) {
  if (permanent || attempt >= options_.max_attempts) {
    outbox_.mark_given_up(email.id, attempt, error);
    log_.error("mail_given_up", {{"email_id", email.id}, {"attempts", attempt}, {"error", error}});
    return;
  }
  auto retry_at = clock_.now() + backoff(attempt);
  outbox_.mark_failed(email.id, attempt, retry_at, error);
  log_.warn("mail_send_failed",
            {{"email_id", email.id}, {"attempt", attempt}, {"retry_at", format_rfc3339(retry_at)}, {"error", error}});
}

void MailDispatcher::run(std::stop_token stop) {
  while (!stop.stop_requested()) {
    Pass pass;
    try {
      pass = deliver_batch(stop);
    } catch (const std::exception& e) {
      log_.error("mail_dispatch_failed", {{"error", e.what()}});
    } catch (...) {
      log_.error("mail_dispatch_failed", {{"error", "unknown exception"}});
    }
    if (pass.claimed == options_.batch) continue;  // a full batch: more may be due now
    std::unique_lock lock(mutex_);
    wakeup_.wait_for(lock, stop, options_.poll_interval, [this] { return woken_; });
    woken_ = false;
  }
}

}  // namespace mercato::mail
