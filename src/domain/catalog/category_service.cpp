#include "domain/catalog/category_service.hpp"

#include "core/error.hpp"
#include "core/time_format.hpp"
#include "domain/catalog/catalog_rules.hpp"
#include "security/uuid.hpp"

namespace mercato::domain {

namespace {

Error name_taken() {
  return Error::conflict("category_name_taken", "Another category already has this name.");
}

Error no_such_category() { return Error::not_found("No such category."); }

void validate(CategoryFields& fields, bool creating) {
  std::vector<FieldError> errors;
  check_category_fields(fields, creating, errors);
  if (!errors.empty()) throw Error::validation(std::move(errors));
}

}  // namespace

CategoryPage CategoryService::list(std::size_t limit, const std::optional<CategoryCursor>& after) {
  CategoryPage page;
  transactions_.read([&](CatalogStore& store) { page = store.categories().list(limit, after); });
  return page;
}

Category CategoryService::get(std::string_view id) {
  std::optional<Category> category;
  transactions_.read([&](CatalogStore& store) { category = store.categories().find(id); });
  if (!category) throw no_such_category();
  return *category;
}

Category CategoryService::create(CategoryFields fields) {
  validate(fields, true);
  auto now = format_rfc3339(clock_.now());
  Category category{security::uuid_v7(clock_, random_), *fields.name, fields.description.value_or(""), now, now};
  transactions_.run([&](CatalogStore& store) {
    if (!store.categories().insert(category)) throw name_taken();
  });
  return category;
}

Category CategoryService::update(std::string_view id, CategoryFields fields) {
  validate(fields, false);
  Category category;
  transactions_.run([&](CatalogStore& store) {
    auto current = store.categories().find(id);
    if (!current) throw no_such_category();
    category = *current;
    if (fields.name) category.name = *fields.name;
    if (fields.description) category.description = *fields.description;
    category.updated_at = format_rfc3339(clock_.now());
    if (!store.categories().update(category)) throw name_taken();
  });
  return category;
}

void CategoryService::remove(std::string_view id) {
  transactions_.run([&](CatalogStore& store) {
    // Marking first takes the row lock that product writes wait on (lock_live), so the
    // check below cannot miss a product placed in the category meanwhile.
    if (!store.categories().mark_deleted(id, format_rfc3339(clock_.now()))) throw no_such_category();
    if (store.categories().has_live_products(id))
      throw Error::conflict("category_not_empty", "The category still has products; move or delete them first.");
  });
}

}  // namespace mercato::domain
