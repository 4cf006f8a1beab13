#pragma once
// Products: anyone reads the catalog; vendors write their own products, admins any. A
// deleted product leaves the catalog but its row stays for the orders that hold it.

#include <string_view>

#include "core/clock.hpp"
#include "core/principal.hpp"
#include "domain/catalog/catalog_store.hpp"
#include "security/random.hpp"

namespace mercato::domain {

class ProductService {
 public:
  ProductService(CatalogTransactions& transactions, const Clock& clock, security::RandomSource& random)
      : transactions_(transactions), clock_(clock), random_(random) {}

  ProductPage list(const ProductQuery& query);
  Product get(std::string_view id);
  // A vendor's product is its own (a vendor_id from a vendor is a 400); an admin names a
  // vendor. 400 for invalid fields or an unknown category.
  Product create(const Principal& actor, ProductFields fields);
  // 403 `not_product_owner` for another vendor's product.
  Product update(const Principal& actor, std::string_view id, ProductFields fields);
  void remove(const Principal& actor, std::string_view id);

 private:
  CatalogTransactions& transactions_;
  const Clock& clock_;
  security::RandomSource& random_;
};

}  // namespace mercato::domain
