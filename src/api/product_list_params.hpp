#pragma once
// The query of GET /api/products: filters, sort, limit and a cursor bound to them.

#include <optional>
#include <string>

#include "domain/catalog/product.hpp"
#include "http/request.hpp"

namespace mercato::api {

// 400 naming the parameter for a bad filter or sort; 400 `invalid_cursor` for a cursor
// that is malformed or was made for another sort or other filters.
domain::ProductQuery product_query(const http::Request& request);

// The cursor that continues `query` after `position`.
std::string product_cursor(const domain::ProductQuery& query, const domain::ProductCursor& position);

}  // namespace mercato::api
