#include "db/orders/sql_inventory_repository.hpp"

namespace mercato::db {

namespace {

// PostgreSQL re-checks the condition on the latest row version after waiting for a
// concurrent taker (READ COMMITTED), so two orders can never both take the last unit.
constexpr std::string_view take_sql =
    "UPDATE products SET stock_quantity = stock_quantity - $2 "
    "WHERE id = $1 AND deleted_at IS NULL AND stock_quantity >= $2 RETURNING price, currency, vendor_id";
constexpr std::string_view left_sql = "SELECT stock_quantity FROM products WHERE id = $1 AND deleted_at IS NULL";
constexpr std::string_view give_back_sql = "UPDATE products SET stock_quantity = stock_quantity + $2 WHERE id = $1";

}  // namespace

domain::StockTake SqlInventoryRepository::take(std::string_view product_id, std::int64_t quantity) {
  using Result = domain::StockTake::Result;
  auto taken = connection_.execute(take_sql, {std::string(product_id), quantity});
  if (!taken.rows.empty()) {
    const auto& row = taken.rows.front();
    return {Result::taken, row.int64(0), row.text(1), row.text(2), 0};
  }
  auto left = connection_.execute(left_sql, {std::string(product_id)});
  if (left.rows.empty()) return {Result::unavailable, 0, {}, {}, 0};
  return {Result::insufficient, 0, {}, {}, left.rows.front().int64(0)};
}

void SqlInventoryRepository::give_back(std::string_view product_id, std::int64_t quantity) {
  connection_.execute(give_back_sql, {std::string(product_id), quantity});
}

}  // namespace mercato::db
