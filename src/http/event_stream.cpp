#include "http/event_stream.hpp"

namespace mercato::http {

bool EventStream::push(std::string_view text) {
  std::unique_lock lock(mutex_);
  if (ended_) return false;
  if (queued_.size() + text.size() > max_buffered_) {
    overflowed_ = true;
    ended_ = true;
    queued_.clear();
  } else {
    queued_.append(text);
  }
  bool accepted = !overflowed_;
  notify(lock);
  return accepted;
}

bool EventStream::push_event(std::string_view id, std::string_view type, std::string_view data) {
  std::string text;
  if (!id.empty()) text.append("id: ").append(id).append("\n");
  if (!type.empty()) text.append("event: ").append(type).append("\n");
  // SSE ends a line at CR, LF or CRLF: each becomes a data line of its own, so that no
  // text can smuggle in a field of its own.
  std::size_t start = 0;
  while (true) {
    auto end = data.find_first_of("\r\n", start);
    text.append("data: ").append(data.substr(start, end - start)).append("\n");
    if (end == std::string_view::npos) break;
    start = end + (data.substr(end, 2) == "\r\n" ? 2 : 1);
  }
  text.append("\n");
  return push(text);
}

void EventStream::close() {
  std::unique_lock lock(mutex_);
  if (ended_) return;
  ended_ = true;
  notify(lock);
}

void EventStream::on_ready(std::function<void()> ready) {
  std::lock_guard lock(mutex_);
  ready_ = std::move(ready);
}

void EventStream::on_cancel(std::function<void()> cancelled) {
  std::lock_guard lock(mutex_);
  cancelled_callback_ = std::move(cancelled);
}

std::string EventStream::take() {
  std::lock_guard lock(mutex_);
  return std::exchange(queued_, {});
}

bool EventStream::ended() const {
  std::lock_guard lock(mutex_);
  return ended_;
}

bool EventStream::overflowed() const {
  std::lock_guard lock(mutex_);
  return overflowed_;
}

void EventStream::cancel() {
  std::function<void()> callback;
  {
    std::lock_guard lock(mutex_);
    ended_ = true;
    if (cancelled_) return;
    cancelled_ = true;
    callback = std::move(cancelled_callback_);
  }
  if (callback) callback();
}

// The callback runs outside the lock: it may take the stream's text at once.
void EventStream::notify(std::unique_lock<std::mutex>& lock) {
  auto ready = ready_;
  lock.unlock();
  if (ready) ready();
}

}  // namespace mercato::http
