#pragma once
// Binds the catalog repositories to one pooled connection, in a transaction for changes
// and without one for reads.

#include "db/database.hpp"
#include "domain/catalog/catalog_store.hpp"

namespace mercato::db {

class SqlCatalogTransactions final : public domain::CatalogTransactions {
 public:
  explicit SqlCatalogTransactions(Database& database) : database_(database) {}

  void run(const std::function<void(domain::CatalogStore&)>& work) override;
  void read(const std::function<void(domain::CatalogStore&)>& work) override;

 private:
  Database& database_;
};

}  // namespace mercato::db
