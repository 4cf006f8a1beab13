#pragma once
// LISTEN on one PostgreSQL channel from a thread of its own, on a connection of its own
// (not the pool's), reconnecting with a backoff when the connection breaks. Each
// notification's payload goes to `on_notify` on that thread.

#include <atomic>
#include <functional>
#include <string>
#include <thread>

namespace mercato::observability {
class Logger;
}

namespace mercato::db {

class PgListener {
 public:
  using OnNotify = std::function<void(const std::string& payload)>;

  PgListener(std::string conninfo, std::string channel, OnNotify on_notify, observability::Logger& log);
  PgListener(const PgListener&) = delete;
  PgListener& operator=(const PgListener&) = delete;
  ~PgListener();  // stops

  // Returns once the first LISTEN is in place (or failed: then it keeps retrying).
  void start();
  void stop();

 private:
  void run();
  bool listen_once();

  std::string conninfo_;
  std::string channel_;
  OnNotify on_notify_;
  observability::Logger& log_;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> first_attempt_done_{false};
  std::thread thread_;
};

}  // namespace mercato::db
