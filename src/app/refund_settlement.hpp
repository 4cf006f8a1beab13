#pragma once
// Refunds the gateway never confirmed (the call failed, or the refund was still pending)
// are asked about again once a minute, until they succeed or fail.

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "domain/payments/payment_service.hpp"
#include "observability/logger.hpp"

namespace mercato::app {

class RefundSettlement {
 public:
  RefundSettlement(domain::PaymentService& payments, observability::Logger& log,
                   std::chrono::seconds interval = std::chrono::seconds{60})
      : payments_(payments), log_(log), interval_(interval) {}
  RefundSettlement(const RefundSettlement&) = delete;
  RefundSettlement& operator=(const RefundSettlement&) = delete;
  ~RefundSettlement() { stop(); }

  void start();
  void stop();

 private:
  void run(std::stop_token stop);

  domain::PaymentService& payments_;
  observability::Logger& log_;
  std::chrono::seconds interval_;
  std::mutex mutex_;
  std::condition_variable_any wake_;
  std::jthread thread_;
};

}  // namespace mercato::app
