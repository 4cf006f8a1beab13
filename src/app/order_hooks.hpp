#pragma once
// What happens after an order's status changes, until the parts that act on it exist:
// the SSE hub (the rest of issue 5) and the payments service (issue 6).

#include "domain/orders/order_store.hpp"
#include "observability/logger.hpp"

namespace mercato::app {

// No subscribers yet: the change is already in the status history and the audit log.
class NoOrderSubscribers final : public domain::OrderEventSink {
 public:
  void status_changed(const domain::OrderStatusChanged&) override {}
};

// No gateway yet: logs each refund that is owed, so that an operator can make it by hand.
class LoggedRefundRequests final : public domain::OrderRefunds {
 public:
  explicit LoggedRefundRequests(observability::Logger& log) : log_(log) {}
  void refund_cancelled_order(const domain::Order& order) override;

 private:
  observability::Logger& log_;
};

}  // namespace mercato::app
