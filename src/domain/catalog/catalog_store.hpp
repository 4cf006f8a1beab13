#pragma once
// The storage the catalog services need, as interfaces: src/db/catalog/ implements them in
// SQL. Every repository of one CatalogStore works inside the same transaction.

#include <functional>
#include <optional>
#include <string_view>

#include "domain/catalog/category.hpp"
#include "domain/catalog/product.hpp"

namespace mercato::domain {

class CategoryRepository {
 public:
  virtual ~CategoryRepository() = default;
  // False when a live category already has that name (ignoring case).
  virtual bool insert(const Category& category) = 0;
  virtual bool update(const Category& category) = 0;
  // Live categories only.
  virtual std::optional<Category> find(std::string_view id) = 0;
  // Holds the live category until the transaction ends, so that it cannot be deleted
  // under a product being placed in it. False when there is no such live category.
  virtual bool lock_live(std::string_view id) = 0;
  // False when there was no such live category.
  virtual bool mark_deleted(std::string_view id, std::string_view now) = 0;
  virtual bool has_live_products(std::string_view id) = 0;
  virtual CategoryPage list(std::size_t limit, const std::optional<CategoryCursor>& after) = 0;
};

class ProductRepository {
 public:
  virtual ~ProductRepository() = default;
  virtual void insert(const Product& product) = 0;
  virtual void update(const Product& product) = 0;
  // Live products only; find_for_update also locks the row until the transaction ends.
  virtual std::optional<Product> find(std::string_view id) = 0;
  virtual std::optional<Product> find_for_update(std::string_view id) = 0;
  // The row stays for the orders that hold it; it leaves the catalog and its search index.
  virtual void mark_deleted(std::string_view id, std::string_view now) = 0;
  // One query per page.
  virtual ProductPage list(const ProductQuery& query) = 0;
};

class CatalogStore {
 public:
  virtual ~CatalogStore() = default;
  virtual CategoryRepository& categories() = 0;
  virtual ProductRepository& products() = 0;
  // True when the user exists and has the vendor role.
  virtual bool is_vendor(std::string_view user_id) = 0;
};

// Runs `work` in one database transaction (run) or on a connection without one (read).
class CatalogTransactions {
 public:
  virtual ~CatalogTransactions() = default;
  virtual void run(const std::function<void(CatalogStore&)>& work) = 0;
  virtual void read(const std::function<void(CatalogStore&)>& work) = 0;
};

}  // namespace mercato::domain
