#pragma once
// The storage the orders service needs, as interfaces: src/db/orders/ implements them in
// SQL. Every repository of one OrderStore works inside the same transaction.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "domain/audit/audit_log.hpp"
#include "domain/idempotency/idempotency.hpp"
#include "domain/orders/order.hpp"

namespace mercato::domain {

struct StockTake {
  enum class Result { taken, insufficient, unavailable };  // unavailable: unknown or deleted
  Result result = Result::unavailable;
  std::int64_t price = 0;  // with taken
  std::string currency;    // with taken
  std::string vendor_id;   // with taken
  std::int64_t available = 0;  // with insufficient: what is left
};

// Stock moves by conditional updates only, so that no interleaving sells what is not there.
class InventoryRepository {
 public:
  virtual ~InventoryRepository() = default;
  // Takes `quantity` of a live product when at least that much is left.
  virtual StockTake take(std::string_view product_id, std::int64_t quantity) = 0;
  // Returns stock, also to a product deleted since (its row is kept).
  virtual void give_back(std::string_view product_id, std::int64_t quantity) = 0;
};

struct StatusHistoryEntry {
  std::string id;
  std::string order_id;
  std::optional<OrderStatus> from;  // none when the order was placed
  OrderStatus to = OrderStatus::pending;
  std::optional<std::string> actor_id;  // none for the system
  std::string actor_role;               // customer | vendor | admin | system
  std::string created_at;
  std::optional<std::int64_t> seq;  // status changes only: next_event_sequence()
};

class OrderRepository {
 public:
  virtual ~OrderRepository() = default;
  virtual void insert(const Order& order) = 0;  // with its items
  virtual std::optional<Order> find(std::string_view id) = 0;
  // Also locks the order until the transaction ends.
  virtual std::optional<Order> find_for_update(std::string_view id) = 0;
  // Writes status, delivered_at and updated_at.
  virtual void update_status(const Order& order) = 0;
  virtual void add_history(const StatusHistoryEntry& entry) = 0;
  // The number of the next status change, in commit order: it takes a lock that the
  // transaction holds until it ends, so numbers are never seen out of order.
  virtual std::int64_t next_event_sequence() = 0;
  // The number of the latest status change (0 before the first).
  virtual std::int64_t latest_event_sequence() = 0;
  // Status changes numbered after `after_seq`, in order, of the orders the filter selects
  // (user_id: the customer's; vendor_id: those holding its items).
  virtual std::vector<OrderStatusChanged> history_after(const OrderFilter& filter, std::int64_t after_seq,
                                                        std::size_t limit) = 0;
  // Newest first; two queries per page (orders, then their items), whatever its size.
  virtual OrderPage list(const OrderFilter& filter, std::size_t limit, const std::optional<OrderCursor>& after) = 0;
};

// Hands status changes to the subscribers of every server process once the transaction
// commits, and never for a change that rolls back.
class OrderEventPublisher {
 public:
  virtual ~OrderEventPublisher() = default;
  virtual void publish(const OrderStatusChanged& event) = 0;
};

class OrderStore {
 public:
  virtual ~OrderStore() = default;
  virtual OrderRepository& orders() = 0;
  virtual InventoryRepository& inventory() = 0;
  virtual AuditLog& audit() = 0;
  virtual IdempotencyCompletion& idempotency() = 0;
  virtual OrderEventPublisher& events() = 0;
};

// Runs `work` in one database transaction (run) or on a connection without one (read).
class OrderTransactions {
 public:
  virtual ~OrderTransactions() = default;
  virtual void run(const std::function<void(OrderStore&)>& work) = 0;
  virtual void read(const std::function<void(OrderStore&)>& work) = 0;
};


// What a cancellation means for the order's payments (the payments service implements it):
// a paid order is refunded in full through its gateway; a payment still in progress is
// stopped. Called after the cancellation committed; it must not throw: what fails is the
// payments service's to retry.
class OrderCancellations {
 public:
  virtual ~OrderCancellations() = default;
  virtual void order_cancelled(const Order& order, OrderStatus previous) noexcept = 0;
};

}  // namespace mercato::domain
