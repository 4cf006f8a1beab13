#pragma once
// Products in SQL. A deleted product keeps its row (deleted_at) for the orders that hold it.

#include "db/connection.hpp"
#include "domain/catalog/catalog_store.hpp"

namespace mercato::db {

class SqlProductRepository final : public domain::ProductRepository {
 public:
  explicit SqlProductRepository(Connection& connection) : connection_(connection) {}

  void insert(const domain::Product& product) override;
  void update(const domain::Product& product) override;
  std::optional<domain::Product> find(std::string_view id) override;
  std::optional<domain::Product> find_for_update(std::string_view id) override;
  void mark_deleted(std::string_view id, std::string_view now) override;
  domain::ProductPage list(const domain::ProductQuery& query) override;

 private:
  std::optional<domain::Product> find_live(std::string_view id, bool lock);

  Connection& connection_;
};

}  // namespace mercato::db
