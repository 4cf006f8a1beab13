#pragma once
// Categories: anyone reads them, admins change them. A category is deleted only once no
// live product is in it, and is kept (soft-deleted) for the history that names it.

#include <optional>
#include <string_view>

#include "core/clock.hpp"
#include "domain/catalog/catalog_store.hpp"
#include "security/random.hpp"

namespace mercato::domain {

class CategoryService {
 public:
  CategoryService(CatalogTransactions& transactions, const Clock& clock, security::RandomSource& random)
      : transactions_(transactions), clock_(clock), random_(random) {}

  CategoryPage list(std::size_t limit, const std::optional<CategoryCursor>& after);
  Category get(std::string_view id);
  // 400 for invalid fields (name required), 409 `category_name_taken`.
  Category create(CategoryFields fields);
  Category update(std::string_view id, CategoryFields fields);
  // 409 `category_not_empty` while a live product is in it.
  void remove(std::string_view id);

 private:
  CatalogTransactions& transactions_;
  const Clock& clock_;
  security::RandomSource& random_;
};

}  // namespace mercato::domain
