#include "db/catalog/sql_product_repository.hpp"

#include "db/catalog/product_list_sql.hpp"

namespace mercato::db {

namespace {

constexpr std::string_view columns =
    "id, name, description, price, currency, stock_quantity, category_id, vendor_id, created_at, updated_at";

domain::Product to_product(const Row& row) {
  return {row.text(0),  row.text(1), row.text(2), row.int64(3), row.text(4),
          row.int64(5), row.text(6), row.text(7), row.text(8),  row.text(9)};
}

}  // namespace

void SqlProductRepository::insert(const domain::Product& p) {
  connection_.execute(
      "INSERT INTO products (id, name, description, price, currency, stock_quantity, category_id, vendor_id, "
      "created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
      {p.id, p.name, p.description, p.price, p.currency, p.stock_quantity, p.category_id, p.vendor_id,
       p.created_at, p.updated_at});
}

void SqlProductRepository::update(const domain::Product& p) {
  connection_.execute(
      "UPDATE products SET name = $2, description = $3, price = $4, currency = $5, stock_quantity = $6, "
      "category_id = $7, vendor_id = $8, updated_at = $9 WHERE id = $1",
      {p.id, p.name, p.description, p.price, p.currency, p.stock_quantity, p.category_id, p.vendor_id,
       p.updated_at});
}

std::optional<domain::Product> SqlProductRepository::find(std::string_view id) { return find_live(id, false); }

std::optional<domain::Product> SqlProductRepository::find_for_update(std::string_view id) {
  return find_live(id, true);
}

std::optional<domain::Product> SqlProductRepository::find_live(std::string_view id, bool lock) {
  std::string sql = "SELECT " + std::string(columns) + " FROM products WHERE id = $1 AND deleted_at IS NULL";
  // SQLite's write transaction already excludes every other writer.
  if (lock && connection_.dialect() == Dialect::postgres) sql += " FOR UPDATE";
  auto result = connection_.execute(sql, {std::string(id)});
  if (result.rows.empty()) return std::nullopt;
  return to_product(result.rows.front());
}

void SqlProductRepository::mark_deleted(std::string_view id, std::string_view now) {
  connection_.execute("UPDATE products SET deleted_at = $2, updated_at = $2 WHERE id = $1 AND deleted_at IS NULL",
                      {std::string(id), std::string(now)});
}

domain::ProductPage SqlProductRepository::list(const domain::ProductQuery& query) {
  auto statement = product_list_sql(connection_.dialect(), query);
  auto result = connection_.execute(statement.sql, statement.params);
  domain::ProductPage page;
  for (std::size_t i = 0; i < result.rows.size() && i < query.limit; ++i)
    page.products.push_back(to_product(result.rows[i]));
  if (result.rows.size() > query.limit) {
    const auto& last = result.rows[query.limit - 1];
    page.next = domain::ProductCursor{last.text(product_sort_key_column), last.text(0)};
  }
  return page;
}

}  // namespace mercato::db
