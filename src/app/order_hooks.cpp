#include "app/order_hooks.hpp"

namespace mercato::app {

void LoggedRefundRequests::refund_cancelled_order(const domain::Order& order) {
  log_.warn("refund_owed", {{"order_id", order.id},
                            {"amount", std::to_string(order.total_price)},
                            {"currency", order.currency},
                            {"detail", "no payment gateway is wired yet: refund by hand"}});
}

}  // namespace mercato::app
