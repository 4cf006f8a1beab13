#pragma once
// Categories in SQL. Deleted ones keep their row (deleted_at) and free their name.

#include "db/connection.hpp"
#include "domain/catalog/catalog_store.hpp"

namespace mercato::db {

class SqlCategoryRepository final : public domain::CategoryRepository {
 public:
  explicit SqlCategoryRepository(Connection& connection) : connection_(connection) {}

  bool insert(const domain::Category& category) override;
  bool update(const domain::Category& category) override;
  std::optional<domain::Category> find(std::string_view id) override;
  bool lock_live(std::string_view id) override;
  bool mark_deleted(std::string_view id, std::string_view now) override;
  bool has_live_products(std::string_view id) override;
  domain::CategoryPage list(std::size_t limit, const std::optional<domain::CategoryCursor>& after) override;

 private:
  Connection& connection_;
};

}  // namespace mercato::db
