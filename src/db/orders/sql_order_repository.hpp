#pragma once
// Orders, their items and their status history in SQL.

#include "db/connection.hpp"
#include "domain/orders/order_store.hpp"

namespace mercato::db {

class SqlOrderRepository final : public domain::OrderRepository {
 public:
  explicit SqlOrderRepository(Connection& connection) : connection_(connection) {}

  void insert(const domain::Order& order) override;
  std::optional<domain::Order> find(std::string_view id) override;
  std::optional<domain::Order> find_for_update(std::string_view id) override;
  void update_status(const domain::Order& order) override;
  void add_history(const domain::StatusHistoryEntry& entry) override;
  std::int64_t next_event_sequence() override;
  std::int64_t latest_event_sequence() override;
  std::vector<domain::OrderStatusChanged> history_after(const domain::OrderFilter& filter, std::int64_t after_seq,
                                                        std::size_t limit) override;
  domain::OrderPage list(const domain::OrderFilter& filter, std::size_t limit,
                         const std::optional<domain::OrderCursor>& after) override;

 private:
  std::optional<domain::Order> find_one(std::string_view id, bool lock);
  // Fills in the items of `orders` with one query.
  void load_items(std::vector<domain::Order>& orders);

  Connection& connection_;
};

}  // namespace mercato::db
