#pragma once
// Shared pieces of the mail tests: a scriptable MailSender, a log sink that may be read
// while another thread writes, and readers for outbound_emails rows.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <ostream>
#include <streambuf>
#include <string>
#include <vector>

#include "db/connection.hpp"
#include "db/database.hpp"
#include "mail/mail_sender.hpp"

namespace mercato::testing {

inline std::vector<std::uint8_t> test_key(std::uint8_t fill) { return std::vector<std::uint8_t>(32, fill); }

class FakeSender final : public mail::MailSender {
 public:
  void send(const domain::EmailMessage& message) override {
    std::lock_guard lock(mutex_);
    ++calls_;
    if (permanent_) throw mail::MailError("To is not a valid email address", true);
    if (failures_left_ > 0) {
      --failures_left_;
      throw mail::MailError("smtp: Couldn't connect to server");
    }
    sent_.push_back(message);
    changed_.notify_all();
  }
  void fail_next(int count) {
    std::lock_guard lock(mutex_);
    failures_left_ = count;
  }
  void fail_permanently() {
    std::lock_guard lock(mutex_);
    permanent_ = true;
  }
  int calls() const {
    std::lock_guard lock(mutex_);
    return calls_;
  }
  std::vector<domain::EmailMessage> sent() const {
    std::lock_guard lock(mutex_);
    return sent_;
  }
  // Waits for the dispatcher thread to have delivered `count` emails.
  bool wait_for_sent(std::size_t count, std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return sent_.size() >= count; });
  }

 private:
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  int calls_ = 0;
  int failures_left_ = 0;
  bool permanent_ = false;
  std::vector<domain::EmailMessage> sent_;
};

// What the Logger writes, readable from the test thread while the dispatcher logs.
class LogCapture final : public std::streambuf {
 public:
  LogCapture() : stream_(this) {}
  std::ostream& stream() { return stream_; }
  std::string text() const {
    std::lock_guard lock(mutex_);
    return text_;
  }
  bool wait_for(const std::string& needle, std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return text_.find(needle) != std::string::npos; });
  }
  std::size_t count(const std::string& needle) const {
    auto all = text();
    std::size_t n = 0;
    for (auto at = all.find(needle); at != std::string::npos; at = all.find(needle, at + 1)) ++n;
    return n;
  }

 protected:
  int_type overflow(int_type c) override {
    if (c == traits_type::eof()) return c;
    char ch = traits_type::to_char_type(c);
    xsputn(&ch, 1);
    return c;
  }
  std::streamsize xsputn(const char* s, std::streamsize n) override {
    std::lock_guard lock(mutex_);
    text_.append(s, static_cast<std::size_t>(n));
    changed_.notify_all();
    return n;
  }

 private:
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::string text_;
  std::ostream stream_;
};

struct OutboxRow {
  std::string id;
  std::string payload_encrypted;
  std::string created_at;
  std::int64_t attempts = 0;
  std::string next_attempt_at;
  std::optional<std::string> sent_at;
  std::optional<std::string> last_error;
};

inline std::vector<OutboxRow> outbox_rows(db::Database& database) {
  auto result = database.acquire()->execute(
      "SELECT id, payload_encrypted, created_at, attempts, next_attempt_at, sent_at, last_error "
      "FROM outbound_emails ORDER BY next_attempt_at, id");
  std::vector<OutboxRow> rows;
  for (const auto& r : result.rows)
    rows.push_back({r.text(0), r.text(1), r.text(2), r.int64(3), r.text(4), r.optional_text(5), r.optional_text(6)});
  return rows;
}

}  // namespace mercato::testing
