#include "db/catalog/product_list_sql.hpp"

namespace mercato::db {

namespace {

using domain::ProductSort;

constexpr std::string_view product_columns =
    "p.id, p.name, p.description, p.price, p.currency, p.stock_quantity, p.category_id, p.vendor_id, "
    "p.created_at, p.updated_at";

// Relevance as an integer, lower is better, so that a cursor can hold it exactly and both
// dialects order alike. FTS5's bm25 is negative and better when lower; ts_rank is the
// reverse. bm25 falls to about 1e-6 for a word in most products, hence its larger scale
// (ts_rank is a float4: six digits are all it has). Name matches weigh ten times
// description matches in FTS5, as weight A over B does in ts_rank.
constexpr std::string_view sqlite_relevance = "CAST(bm25(products_fts, 10.0, 1.0) * 1000000000000 AS INTEGER)";
constexpr std::string_view postgres_relevance = "-CAST(ts_rank(p.search_vector, search_query) * 1000000 AS bigint)";

class Builder {
 public:
  Builder(Dialect dialect, const domain::ProductQuery& query) : dialect_(dialect), query_(query) {}

  SqlStatement build() {
    bool searching = query_.filter.search_terms.has_value();
    std::string inner = "SELECT " + std::string(product_columns) + ", " + sort_key_expression() + " AS sort_key " +
                        (searching ? search_source() : "FROM products p WHERE p.deleted_at IS NULL");
    add_filters(inner);
    // The keyset predicate compares the computed relevance, so the search runs as a subquery.
    std::string sql = "SELECT * FROM (" + inner + ") page";
    if (query_.after) sql += " WHERE " + keyset_predicate();
    sql += " ORDER BY " + order_by() + " LIMIT " + bind(static_cast<std::int64_t>(query_.limit + 1));
    return {std::move(sql), std::move(params_)};
  }

 private:
  bool postgres() const { return dialect_ == Dialect::postgres; }

  std::string bind(Param value) {
    params_.push_back(std::move(value));
    return "$" + std::to_string(params_.size());
  }

  std::string search_source() {
    auto& terms = *query_.filter.search_terms;
    if (postgres()) {
      std::string joined;
      for (const auto& term : terms) joined += (joined.empty() ? "" : " ") + term;
      return "FROM products p, plainto_tsquery('english', " + bind(joined) +
             ") search_query WHERE p.deleted_at IS NULL AND p.search_vector @@ search_query";
    }
    return "FROM products_fts JOIN products p ON p.search_rowid = products_fts.rowid "
           "WHERE products_fts MATCH " + bind(fts5_match_expression(terms)) + " AND p.deleted_at IS NULL";
  }

  void add_filters(std::string& sql) {
    const auto& f = query_.filter;
    if (f.category_id) sql += " AND p.category_id = " + bind(*f.category_id);
    if (f.vendor_id) sql += " AND p.vendor_id = " + bind(*f.vendor_id);
    if (f.min_price) sql += " AND p.price >= " + bind(*f.min_price);
    if (f.max_price) sql += " AND p.price <= " + bind(*f.max_price);
    if (f.in_stock_only) sql += " AND p.stock_quantity > 0";
  }

  std::string sort_key_expression() const {
    switch (query_.sort) {
      case ProductSort::newest: return "p.created_at";
      case ProductSort::price_asc:
      case ProductSort::price_desc: return "p.price";
      case ProductSort::relevance: return std::string(postgres() ? postgres_relevance : sqlite_relevance);
    }
    return {};
  }

  bool descending() const { return query_.sort == ProductSort::newest || query_.sort == ProductSort::price_desc; }

  // Row-value comparison, which both dialects match to the (key, id) indexes.
  std::string keyset_predicate() {
    std::string key_type = query_.sort == ProductSort::newest ? "timestamptz" : "bigint";
    Param key = query_.sort == ProductSort::newest ? Param{query_.after->key} : Param{std::stoll(query_.after->key)};
    std::string key_param = bind(std::move(key));
    std::string id_param = bind(query_.after->id);
    if (postgres()) {
      key_param = "CAST(" + key_param + " AS " + key_type + ")";
      id_param = "CAST(" + id_param + " AS uuid)";
    }
    return "(page.sort_key, page.id) " + std::string(descending() ? "<" : ">") + " (" + key_param + ", " +
           id_param + ")";
  }

  std::string order_by() const {
    return descending() ? "page.sort_key DESC, page.id DESC" : "page.sort_key, page.id";
  }

  Dialect dialect_;
  const domain::ProductQuery& query_;
  std::vector<Param> params_;
};

}  // namespace

SqlStatement product_list_sql(Dialect dialect, const domain::ProductQuery& query) {
  return Builder(dialect, query).build();
}

std::string fts5_match_expression(const std::vector<std::string>& terms) {
  std::string expression;
  for (const auto& term : terms) {
    if (!expression.empty()) expression += ' ';
    expression += '"';
    for (char c : term) expression += c == '"' ? std::string("\"\"") : std::string(1, c);
    expression += '"';
  }
  return expression;
}

}  // namespace mercato::db
