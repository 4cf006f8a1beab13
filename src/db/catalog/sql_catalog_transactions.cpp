#include "db/catalog/sql_catalog_transactions.hpp"

#include "db/catalog/sql_category_repository.hpp"
#include "db/catalog/sql_product_repository.hpp"
#include "db/transaction.hpp"

namespace mercato::db {

namespace {

class SqlCatalogStore final : public domain::CatalogStore {
 public:
  explicit SqlCatalogStore(Connection& connection)
      : connection_(connection), categories_(connection), products_(connection) {}

  domain::CategoryRepository& categories() override { return categories_; }
  domain::ProductRepository& products() override { return products_; }

  bool is_vendor(std::string_view user_id) override {
    return !connection_.execute("SELECT 1 FROM users WHERE id = $1 AND role = 'vendor'", {std::string(user_id)})
                .rows.empty();
  }

 private:
  Connection& connection_;
  SqlCategoryRepository categories_;
  SqlProductRepository products_;
};

}  // namespace

void SqlCatalogTransactions::run(const std::function<void(domain::CatalogStore&)>& work) {
  run_transaction(database_, [&](Connection& connection) {
    SqlCatalogStore store(connection);
    work(store);
  });
}

void SqlCatalogTransactions::read(const std::function<void(domain::CatalogStore&)>& work) {
  auto lease = database_.acquire();
  SqlCatalogStore store(*lease);
  work(store);
}

}  // namespace mercato::db
