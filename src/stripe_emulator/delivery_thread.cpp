#include "stripe_emulator/delivery_thread.hpp"

#include <algorithm>

namespace mercato::stripe_emulator {

DeliveryThread::DeliveryThread(RunOnce run, const Clock& clock, observability::Logger& log)
    : run_(std::move(run)), clock_(clock), log_(log) {}

DeliveryThread::~DeliveryThread() { stop(); }

void DeliveryThread::start() {
  if (thread_.joinable()) return;
  thread_ = std::jthread([this](std::stop_token stop) { loop(std::move(stop)); });
}

void DeliveryThread::wake() {
  {
    std::lock_guard lock(mutex_);
    woken_ = true;
  }
  wake_.notify_one();
}

void DeliveryThread::stop() {
  if (!thread_.joinable()) return;
  thread_.request_stop();
  thread_.join();
}

std::chrono::milliseconds DeliveryThread::wait_for(std::optional<TimePoint> next_due) const {
  if (!next_due) return max_wait;
  auto left = std::chrono::ceil<std::chrono::milliseconds>(*next_due - clock_.now());
  return std::clamp(left, std::chrono::milliseconds{0}, max_wait);
}

void DeliveryThread::loop(std::stop_token stop) {
  while (!stop.stop_requested()) {
    std::optional<TimePoint> next_due;
    try {
      next_due = run_();
    } catch (const std::exception& e) {  // a bug must not end delivery for good
      log_.error("stripe_emulator_delivery_failed", {{"detail", e.what()}});
    }
    std::unique_lock lock(mutex_);
    wake_.wait_for(lock, stop, wait_for(next_due), [this] { return woken_; });
    woken_ = false;
  }
}

}  // namespace mercato::stripe_emulator
