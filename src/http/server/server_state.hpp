#pragma once
// What the listener and every session share: options, the handler, the worker pool, the log,
// the shutdown flag, the registry of live sessions and the count of handler calls in flight.
// Internal to the transport; no Beast here.

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "http/server/server.hpp"

namespace mercato::http {

class Session;

class ServerState {
 public:
  ServerState(ServerOptions options, RequestHandler handler, WorkerPool& workers, observability::Logger& log)
      : options_(std::move(options)), handler_(std::move(handler)), workers_(workers), log_(log) {}

  const ServerOptions& options() const noexcept { return options_; }
  WorkerPool& workers() noexcept { return workers_; }
  observability::Logger& log() noexcept { return log_; }

  bool shutting_down() const noexcept { return shutting_down_.load(std::memory_order_acquire); }
  void begin_shutdown() noexcept { shutting_down_.store(true, std::memory_order_release); }

  // Sessions register on creation and unregister in their destructor; stop() walks the rest.
  std::uint64_t add_session(std::weak_ptr<Session> session);
  void remove_session(std::uint64_t id);
  std::vector<std::shared_ptr<Session>> live_sessions();

  // Runs the handler, turning an escaped exception into a logged 500.
  Response call_handler(Request& request) noexcept;

  // Handler calls submitted to the worker pool and not yet finished: the server must not be
  // destroyed under them (they use the handler and post to the io_context).
  void begin_task();
  void end_task();
  void wait_for_tasks();

 private:
  ServerOptions options_;
  RequestHandler handler_;
  WorkerPool& workers_;
  observability::Logger& log_;
  std::atomic<bool> shutting_down_{false};

  std::mutex sessions_mutex_;
  std::uint64_t next_session_id_ = 1;  // 0 means "not registered"
  std::unordered_map<std::uint64_t, std::weak_ptr<Session>> sessions_;

  std::mutex tasks_mutex_;
  std::condition_variable tasks_done_;
  std::size_t tasks_in_flight_ = 0;
};

}  // namespace mercato::http
