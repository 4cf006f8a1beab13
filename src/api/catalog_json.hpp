#pragma once
// JSON shapes of the catalog API: Category and Product.

#include <boost/json/value.hpp>

#include "domain/catalog/category.hpp"
#include "domain/catalog/product.hpp"

namespace mercato::api {

boost::json::object category_json(const domain::Category& category);
boost::json::object product_json(const domain::Product& product);

}  // namespace mercato::api
