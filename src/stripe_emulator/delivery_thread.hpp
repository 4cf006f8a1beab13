#pragma once
// Runs webhook delivery on a thread of its own, never on a request thread: a run when woken
// (a new event), else when the next retry is due. Stops on stop() or destruction.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>

#include "core/clock.hpp"
#include "observability/logger.hpp"

namespace mercato::stripe_emulator {

class DeliveryThread {
 public:
  using TimePoint = std::chrono::system_clock::time_point;
  // Delivers what is due and returns when the next event will be due (nullopt: none queued).
  using RunOnce = std::function<std::optional<TimePoint>()>;

  // Waits at most this long between runs, so that a clock set forward is noticed.
  static constexpr std::chrono::milliseconds max_wait{1000};

  DeliveryThread(RunOnce run, const Clock& clock, observability::Logger& log);
  DeliveryThread(const DeliveryThread&) = delete;
  DeliveryThread& operator=(const DeliveryThread&) = delete;
  ~DeliveryThread();

  // Starts the thread; a second call does nothing.
  void start();
  void wake();
  // Finishes the run in progress, then joins. Idempotent.
  void stop();

 private:
  void loop(std::stop_token stop);
  std::chrono::milliseconds wait_for(std::optional<TimePoint> next_due) const;

  RunOnce run_;
  const Clock& clock_;
  observability::Logger& log_;
  std::mutex mutex_;
  std::condition_variable_any wake_;
  bool woken_ = false;
  std::jthread thread_;
};

}  // namespace mercato::stripe_emulator
