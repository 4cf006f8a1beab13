#pragma once
// Delivers the outbox: a background thread claims due emails, hands them to the
// MailSender and records the outcome. Failures are retried with exponential backoff; after
// max_attempts an email stays in the table with its last_error (never silently lost).
// Logs carry the email's id, never its address, subject or body.

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <stop_token>
#include <string>
#include <thread>

#include "core/clock.hpp"
#include "db/mail/outbox_repository.hpp"
#include "mail/mail_sender.hpp"
#include "observability/logger.hpp"

namespace mercato::mail {

struct DispatcherOptions {
  std::chrono::milliseconds poll_interval{2000};
  std::size_t batch = 20;
  // Longer than a send can take (SMTP total timeout 30 s), so a lease never runs out mid-send.
  std::chrono::seconds lease{60};
  int max_attempts = 10;
  std::chrono::seconds backoff_base{5};    // retry n (1-based) waits base * 2^(n-1)...
  std::chrono::seconds backoff_cap{3600};  // ...but never longer than this
};

class MailDispatcher {
 public:
  using Options = DispatcherOptions;

  // All references must outlive the dispatcher. The sender is only used from one thread.
  MailDispatcher(db::OutboxRepository& outbox, MailSender& sender, observability::Logger& log, const Clock& clock,
                 Options options = {});
  MailDispatcher(const MailDispatcher&) = delete;
  MailDispatcher& operator=(const MailDispatcher&) = delete;
  ~MailDispatcher() { stop(); }

  // Starts the thread, which delivers at once and then every poll_interval. Throws
  // std::logic_error when it is already running.
  void start();
  // Call after committing a transaction that enqueued mail: delivers soon, not at the next poll.
  void wake();
  // Lets the current send finish, then joins. Emails claimed but not yet tried become due
  // again when their lease ends. Safe to call twice, or without start().
  void stop();

  // One pass, synchronously: claims up to `batch` due emails and tries each once. Returns
  // how many were delivered. Database errors propagate (the thread logs and retries them).
  // For tests and one-shot tools: not while the thread runs (the sender is single-threaded).
  std::size_t deliver_due();

  // The wait after `failed_attempts` failures (>= 1): 5 s, 10 s, 20 s, ... up to the cap.
  std::chrono::seconds backoff(int failed_attempts) const;

 private:
  struct Pass {
    std::size_t claimed = 0;
    std::size_t sent = 0;
  };

  Pass deliver_batch(std::stop_token stop);
  bool deliver_one(const db::PendingEmail& email);
  void record_failure(const db::PendingEmail& email, int attempt, const std::string& error, bool permanent);
  void run(std::stop_token stop);

  db::OutboxRepository& outbox_;
  MailSender& sender_;
  observability::Logger& log_;
  const Clock& clock_;
  Options options_;
  std::mutex mutex_;
  std::condition_variable_any wakeup_;
  bool woken_ = false;
  std::jthread thread_;
};

}  // namespace mercato::mail
