#pragma once
// Stock in SQL: one conditional UPDATE takes it, so the database itself refuses to sell
// what is not there (and the CHECK (stock_quantity >= 0) backs it).

#include "db/connection.hpp"
#include "domain/orders/order_store.hpp"

namespace mercato::db {

class SqlInventoryRepository final : public domain::InventoryRepository {
 public:
  explicit SqlInventoryRepository(Connection& connection) : connection_(connection) {}

  domain::StockTake take(std::string_view product_id, std::int64_t quantity) override;
  void give_back(std::string_view product_id, std::int64_t quantity) override;

 private:
  Connection& connection_;
};

}  // namespace mercato::db
