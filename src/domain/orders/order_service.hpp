#pragma once
// Orders: placing one (stock taken and prices fixed from the catalog in one transaction,
// idempotent under a client's key), who sees which, and the status workflow with its
// history, audit and events.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "domain/accounts/request_context.hpp"
#include "domain/idempotency/idempotency_service.hpp"
#include "domain/orders/order_store.hpp"
#include "domain/orders/order_workflow.hpp"
#include "observability/metrics.hpp"
#include "security/random.hpp"

namespace mercato::domain {

inline constexpr std::size_t max_order_lines = 100;
inline constexpr std::int64_t max_line_quantity = 1000;

struct PlacedOrder {
  Order order;
  bool replayed = false;  // answered from an earlier request with the same Idempotency-Key
};

class OrderService {
 public:
  OrderService(OrderTransactions& transactions, IdempotencyService& idempotency, OrderCancellations& cancellations,
               observability::Metrics& metrics, const Clock& clock, security::RandomSource& random)
      : transactions_(transactions),
        idempotency_(idempotency),
        cancellations_(cancellations),
        metrics_(metrics),
        clock_(clock),
        random_(random) {}

  // Lines of one product are merged. 400 naming an unknown or deleted product, 409
  // `insufficient_stock` naming the product and what is left.
  PlacedOrder place(const RequestContext& ctx, const std::vector<OrderLine>& lines,
                    const std::optional<std::string>& idempotency_key);
  // Customers see their own orders, vendors those holding their items (only those items),
  // admins all; anyone else gets 404.
  Order get(const Principal& viewer, std::string_view id);
  OrderPage list(const Principal& viewer, OrderFilter filter, std::size_t limit,
                 const std::optional<OrderCursor>& after);
  // An admin's move along the workflow; 409 `invalid_transition` off it.
  Order change_status(const RequestContext& ctx, std::string_view id, OrderStatus to);
  // The owner's or an admin's cancellation: stock returned, a paid order refunded.
  Order cancel(const RequestContext& ctx, std::string_view id);
  // The status changes a viewer may see after the event `last_event_id` (a reconnecting
  // event stream's Last-Event-ID), oldest first, at most `limit`.
  std::vector<OrderStatusChanged> events_since(const Principal& viewer, std::int64_t last_event_id,
                                               std::size_t limit);
  // The id of the latest status change of all (0 before the first).
  std::int64_t latest_event_id();

 private:
  Order transition(const RequestContext& ctx, std::string_view id, OrderStatus to,
                   const std::function<OrderActor(const Order&)>& actor_of);
  Order insert_order(OrderStore& store, const RequestContext& ctx, const std::vector<OrderLine>& merged,
                     const std::vector<std::size_t>& positions);
  std::string now_text() const;

  OrderTransactions& transactions_;
  IdempotencyService& idempotency_;
  OrderCancellations& cancellations_;
  observability::Metrics& metrics_;
  const Clock& clock_;
  security::RandomSource& random_;
};

}  // namespace mercato::domain
