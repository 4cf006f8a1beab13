#pragma once
// The one SELECT behind a page of the catalog, per dialect: only the predicates the query
// needs (so each shape gets its own plan), keyset pagination on (sort key, id), and
// full-text search through FTS5 (SQLite) or a tsvector GIN index (PostgreSQL).

#include <string>
#include <vector>

#include "db/connection.hpp"
#include "domain/catalog/product.hpp"

namespace mercato::db {

// The columns of a listed product, in domain::Product order, then the sort key.
inline constexpr std::size_t product_sort_key_column = 10;

struct SqlStatement {
  std::string sql;
  std::vector<Param> params;
};

// Selects query.limit + 1 rows, so that the caller can tell whether more follow.
SqlStatement product_list_sql(Dialect dialect, const domain::ProductQuery& query);

// An FTS5 query matching documents that hold every term: each term quoted as a string.
std::string fts5_match_expression(const std::vector<std::string>& terms);

}  // namespace mercato::db
