#include "app/refund_settlement.hpp"

namespace mercato::app {

void RefundSettlement::start() {
  thread_ = std::jthread([this](std::stop_token stop) { run(stop); });
}

void RefundSettlement::stop() {
  if (!thread_.joinable()) return;
  thread_.request_stop();
  wake_.notify_all();
  thread_.join();
}

void RefundSettlement::run(std::stop_token stop) {
  constexpr std::size_t batch = 50;
  while (!stop.stop_requested()) {
    {
      std::unique_lock lock(mutex_);
      if (wake_.wait_for(lock, stop, interval_, [] { return false; })) break;
    }
    if (stop.stop_requested()) break;
    try {
      auto settled = payments_.settle_refunds(batch);
      if (settled > 0) log_.info("refunds_settled", {{"count", settled}});
    } catch (const std::exception& e) {
      // The database may be away for a while; the next round tries again.
      log_.warn("refund_settlement_failed", {{"detail", e.what()}});
    }
  }
}

}  // namespace mercato::app
