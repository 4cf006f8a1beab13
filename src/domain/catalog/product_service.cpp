#include "domain/catalog/product_service.hpp"

#include "core/error.hpp"
#include "core/time_format.hpp"
#include "domain/accounts/guards.hpp"
#include "domain/catalog/catalog_rules.hpp"
#include "security/uuid.hpp"

namespace mercato::domain {

namespace {

bool is_admin(const Principal& actor) { return actor.role == "admin"; }

Error no_such_product() { return Error::not_found("No such product."); }

// Who may write, and the shape of the fields, before anything is read.
void validate(const Principal& actor, ProductFields& fields, bool creating) {
  if (!is_admin(actor)) require_verified_email(actor);
  std::vector<FieldError> errors;
  check_product_fields(actor, fields, creating, errors);
  if (!errors.empty()) throw Error::validation(std::move(errors));
}

// The references the fields name must exist; the category stays locked until commit.
void check_references(CatalogStore& store, const ProductFields& fields) {
  std::vector<FieldError> errors;
  if (fields.category_id && !store.categories().lock_live(*fields.category_id))
    errors.push_back({"category_id", "No such category."});
  if (fields.vendor_id && !store.is_vendor(*fields.vendor_id))
    errors.push_back({"vendor_id", "Must be the id of a user with the vendor role."});
  if (!errors.empty()) throw Error::validation(std::move(errors));
}

void apply(const ProductFields& fields, Product& product) {
  if (fields.name) product.name = *fields.name;
  if (fields.description) product.description = *fields.description;
  if (fields.price) product.price = *fields.price;
  if (fields.currency) product.currency = *fields.currency;
  if (fields.stock_quantity) product.stock_quantity = *fields.stock_quantity;
  if (fields.category_id) product.category_id = *fields.category_id;
  if (fields.vendor_id) product.vendor_id = *fields.vendor_id;
}

Product owned_product(CatalogStore& store, const Principal& actor, std::string_view id) {
  auto product = store.products().find_for_update(id);
  if (!product) throw no_such_product();
  if (!is_admin(actor) && product->vendor_id != actor.user_id)
    throw Error{ErrorKind::forbidden, "not_product_owner", "This product belongs to another vendor."};
  return *product;
}

}  // namespace

ProductPage ProductService::list(const ProductQuery& query) {
  if (query.filter.search_terms && query.filter.search_terms->empty()) return {};
  ProductPage page;
  transactions_.read([&](CatalogStore& store) { page = store.products().list(query); });
  return page;
}

Product ProductService::get(std::string_view id) {
  std::optional<Product> product;
  transactions_.read([&](CatalogStore& store) { product = store.products().find(id); });
  if (!product) throw no_such_product();
  return *product;
}

Product ProductService::create(const Principal& actor, ProductFields fields) {
  validate(actor, fields, true);
  auto now = format_rfc3339(clock_.now());
  Product product{security::uuid_v7(clock_, random_), {}, {}, 0, std::string(default_currency), 0, {},
                  actor.user_id, now, now};
  apply(fields, product);
  transactions_.run([&](CatalogStore& store) {
    check_references(store, fields);
    store.products().insert(product);
  });
  return product;
}

Product ProductService::update(const Principal& actor, std::string_view id, ProductFields fields) {
  validate(actor, fields, false);
  Product product;
  transactions_.run([&](CatalogStore& store) {
    product = owned_product(store, actor, id);
    check_references(store, fields);
    apply(fields, product);
    product.updated_at = format_rfc3339(clock_.now());
    store.products().update(product);
  });
  return product;
}

void ProductService::remove(const Principal& actor, std::string_view id) {
  if (!is_admin(actor)) require_verified_email(actor);
  transactions_.run([&](CatalogStore& store) {
    owned_product(store, actor, id);
    store.products().mark_deleted(id, format_rfc3339(clock_.now()));
  });
}

}  // namespace mercato::domain
