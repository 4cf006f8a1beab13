#pragma once
// Routes of the catalog: /api/categories and /api/products.

#include "domain/catalog/category_service.hpp"
#include "domain/catalog/product_service.hpp"
#include "http/router.hpp"

namespace mercato::api {

void add_category_routes(http::Router& router, domain::CategoryService& categories);
void add_product_routes(http::Router& router, domain::ProductService& products);

}  // namespace mercato::api
