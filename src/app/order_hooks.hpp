#pragma once
// What happens after a paid order is cancelled, until the payments service (issue 6)
// refunds it through its gateway.

#include "domain/orders/order_store.hpp"
#include "observability/logger.hpp"

namespace mercato::app {

// No gateway yet: logs each refund that is owed, so that an operator can make it by hand.
class LoggedRefundRequests final : public domain::OrderRefunds {
 public:
  explicit LoggedRefundRequests(observability::Logger& log) : log_(log) {}
  void refund_cancelled_order(const domain::Order& order) override;

 private:
  observability::Logger& log_;
};

}  // namespace mercato::app
