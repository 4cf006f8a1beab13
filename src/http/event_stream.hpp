#pragma once
// A response body written over time (Server-Sent Events): producers push text from any
// thread; the transport takes it and writes it on the connection's own thread. Nothing
// here blocks a producer: a client that reads too slowly overflows its bounded buffer and
// is dropped, so it never slows the others.

#include <functional>
#include <mutex>
#include <utility>
#include <string>

namespace mercato::http {

class EventStream {
 public:
  explicit EventStream(std::size_t max_buffered_bytes = 64 * std::size_t{1024})
      : max_buffered_(max_buffered_bytes) {}
  EventStream(const EventStream&) = delete;
  EventStream& operator=(const EventStream&) = delete;

  // Producer side. False once the stream has ended (closed, overflowed or cancelled): the
  // producer should forget it.
  bool push(std::string_view text);
  // Formats one SSE event: "id:", "event:", one "data:" line per line of `data`.
  bool push_event(std::string_view id, std::string_view type, std::string_view data);
  void close();  // ends the stream after what is queued

  // Transport side. `ready` runs (on the pushing thread) whenever text was queued or the
  // stream ended; it must only schedule work. Set once, before the first push.
  void on_ready(std::function<void()> ready);
  // Runs once when the transport ended the stream (client gone, server stopping).
  void on_cancel(std::function<void()> cancelled);
  // Everything queued since the last take.
  std::string take();
  bool ended() const;       // nothing more will come once the queue is empty
  bool overflowed() const;  // the client was too slow
  void cancel();            // the transport's end: runs on_cancel

 private:
  void notify(std::unique_lock<std::mutex>& lock);

  mutable std::mutex mutex_;
  std::string queued_;
  std::size_t max_buffered_;
  bool ended_ = false;
  bool overflowed_ = false;
  bool cancelled_ = false;
  std::function<void()> ready_;
  std::function<void()> cancelled_callback_;
};

}  // namespace mercato::http
