#include "db/catalog/sql_category_repository.hpp"

#include "db/error.hpp"

namespace mercato::db {

namespace {

constexpr std::string_view columns = "id, name, description, created_at, updated_at";

domain::Category to_category(const Row& row) {
  return {row.text(0), row.text(1), row.text(2), row.text(3), row.text(4)};
}

// The name is taken when the unique index on lower(name) of live categories refuses it.
// The caller answers 409 and rolls back, so the aborted PostgreSQL transaction is moot.
bool unless_name_taken(const std::function<void()>& write) {
  try {
    write();
    return true;
  } catch (const DbError& e) {
    if (e.failure() == Failure::unique_violation && e.constraint() == "categories_name_key") return false;
    throw;
  }
}

}  // namespace

bool SqlCategoryRepository::insert(const domain::Category& c) {
  return unless_name_taken([&] {
    connection_.execute(
        "INSERT INTO categories (id, name, description, created_at, updated_at) VALUES ($1, $2, $3, $4, $5)",
        {c.id, c.name, c.description, c.created_at, c.updated_at});
  });
}

bool SqlCategoryRepository::update(const domain::Category& c) {
  return unless_name_taken([&] {
    connection_.execute("UPDATE categories SET name = $2, description = $3, updated_at = $4 WHERE id = $1",
                        {c.id, c.name, c.description, c.updated_at});
  });
}

std::optional<domain::Category> SqlCategoryRepository::find(std::string_view id) {
  auto result = connection_.execute(
      "SELECT " + std::string(columns) + " FROM categories WHERE id = $1 AND deleted_at IS NULL", {std::string(id)});
  if (result.rows.empty()) return std::nullopt;
  return to_category(result.rows.front());
}

bool SqlCategoryRepository::lock_live(std::string_view id) {
  // SQLite's write transaction already excludes every other writer.
  std::string sql = "SELECT 1 FROM categories WHERE id = $1 AND deleted_at IS NULL";
  if (connection_.dialect() == Dialect::postgres) sql += " FOR SHARE";
  return !connection_.execute(sql, {std::string(id)}).rows.empty();
}

bool SqlCategoryRepository::mark_deleted(std::string_view id, std::string_view now) {
  auto result = connection_.execute(
      "UPDATE categories SET deleted_at = $2, updated_at = $2 WHERE id = $1 AND deleted_at IS NULL",
      {std::string(id), std::string(now)});
  return result.affected_rows == 1;
}

bool SqlCategoryRepository::has_live_products(std::string_view id) {
  return !connection_
              .execute("SELECT 1 FROM products WHERE category_id = $1 AND deleted_at IS NULL LIMIT 1",
                       {std::string(id)})
              .rows.empty();
}

// By name in byte order (COLLATE "C" on PostgreSQL, SQLite's default), then id.
domain::CategoryPage SqlCategoryRepository::list(std::size_t limit,
                                                 const std::optional<domain::CategoryCursor>& after) {
  bool postgres = connection_.dialect() == Dialect::postgres;
  std::string name = postgres ? "(name COLLATE \"C\")" : "name";
  std::string sql = "SELECT " + std::string(columns) + " FROM categories WHERE deleted_at IS NULL";
  std::vector<Param> params;
  if (after) {
    params = {after->name, after->id};
    sql += " AND (" + name + ", id) > ($1, " + std::string(postgres ? "CAST($2 AS uuid)" : "$2") + ")";
  }
  params.emplace_back(static_cast<std::int64_t>(limit + 1));
  sql += " ORDER BY " + name + ", id LIMIT $" + std::to_string(params.size());
  auto result = connection_.execute(sql, params);
  domain::CategoryPage page;
  for (const auto& row : result.rows) page.categories.push_back(to_category(row));
  page.has_more = page.categories.size() > limit;
  if (page.has_more) page.categories.pop_back();
  return page;
}

}  // namespace mercato::db
