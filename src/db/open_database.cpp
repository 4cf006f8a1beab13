// open_database: picks the driver for a DATABASE_URL. Connections are opened lazily, by the
// pool, when a lease first needs one.

#include "db/database.hpp"

#include <cctype>
#include <stdexcept>
#include <string_view>

#include "db/postgres/pg_connection.hpp"
#include "db/sqlite/sqlite_connection.hpp"

namespace mercato::db {

namespace {

constexpr std::string_view sqlite_prefix = "sqlite:";
constexpr std::string_view usage = "expected sqlite:<path> (e.g. sqlite:data/mercato.db) or postgresql://...";

// Only the scheme may appear in an error: the rest of a URL can hold a password.
std::string scheme_for_message(std::string_view url) {
  auto colon = url.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon > 20) return {};
  auto scheme = url.substr(0, colon);
  for (char c : scheme)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.') return {};
  return std::string(scheme);
}

std::string sqlite_path(std::string_view url) {
  auto path = url.substr(sqlite_prefix.size());
  if (path.empty()) throw std::invalid_argument("DATABASE_URL names no SQLite file; " + std::string(usage));
  if (path.starts_with("//"))
    throw std::invalid_argument("DATABASE_URL sqlite://... is ambiguous; write sqlite:<path>, with sqlite:/<path> "
                                "for an absolute path");
  // Each pooled connection would open its own, separate database, so a write made through
  // one lease would be invisible through the next.
  if (path == ":memory:")
    throw std::invalid_argument("DATABASE_URL sqlite::memory: cannot back a connection pool: every connection "
                                "would get its own empty database; use a file path");
  return std::string(path);
}

std::unique_ptr<Database> open_sqlite(std::string path, PoolOptions options) {
  auto factory = [path = std::move(path)] { return std::make_unique<SqliteConnection>(path); };
  return std::make_unique<Database>(Dialect::sqlite, std::move(factory), options);
}

std::unique_ptr<Database> open_postgres(const std::string& url, PoolOptions options) {
  auto factory = [url] { return std::make_unique<PgConnection>(url); };
  return std::make_unique<Database>(Dialect::postgres, std::move(factory), options);
}

}  // namespace

std::unique_ptr<Database> open_database(const std::string& url, PoolOptions options) {
  if (url.starts_with(sqlite_prefix)) return open_sqlite(sqlite_path(url), options);
  if (url.starts_with("postgresql://") || url.starts_with("postgres://")) return open_postgres(url, options);
  auto scheme = scheme_for_message(url);
  if (scheme.empty()) throw std::invalid_argument("DATABASE_URL has no recognisable scheme; " + std::string(usage));
  throw std::invalid_argument("DATABASE_URL scheme \"" + scheme + "\" is not supported; " + std::string(usage));
}

}  // namespace mercato::db
