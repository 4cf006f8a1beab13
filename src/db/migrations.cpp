#include "db/migrations.hpp"

#include <algorithm>
#include <string>

#include "db/error.hpp"
#include "db/transaction.hpp"

namespace mercato::db {

namespace {

constexpr std::string_view create_table_sql = R"(
CREATE TABLE IF NOT EXISTS schema_migrations (
  version INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  applied_at TEXT NOT NULL
))";

constexpr std::string_view applied_version_sql = "SELECT COALESCE(MAX(version), 0) FROM schema_migrations";
constexpr std::string_view record_sql = "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)";
// Serialises concurrent migrators on PostgreSQL; SQLite's BEGIN IMMEDIATE already does.
constexpr std::string_view pg_lock_sql = "SELECT pg_advisory_xact_lock(7243554210)";

int applied_version(Connection& connection) {
  return static_cast<int>(connection.execute(applied_version_sql).rows.at(0).int64(0));
}

// Under the same lock as the migrations: two processes racing to create the table would
// otherwise collide on PostgreSQL's catalog even with IF NOT EXISTS.
void ensure_migrations_table(Database& database) {
  run_transaction(database, [](Connection& connection) {
    if (connection.dialect() == Dialect::postgres) connection.execute(pg_lock_sql);
    connection.execute_script(create_table_sql);
  });
}

// A read, not the migrator's locked CREATE: every start (and every Lambda cold start)
// checks the schema, and a database never migrated simply has no table yet.
bool migrations_table_exists(Connection& connection) {
  auto sql = connection.dialect() == Dialect::postgres
                 ? "SELECT to_regclass('schema_migrations') IS NOT NULL"
                 : "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations')";
  return connection.execute(sql).rows.at(0).boolean(0);
}

int highest(const std::vector<Migration>& migrations) {
  int out = 0;
  for (const auto& m : migrations) out = std::max(out, m.version);
  return out;
}

std::string now_text(Connection& connection) {
  auto sql = connection.dialect() == Dialect::postgres
                 ? "SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"
                 : "SELECT strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";
  return connection.execute(sql).rows.at(0).text(0);
}

}  // namespace

const std::vector<Migration>& embedded_migrations(Dialect dialect) {
  return dialect == Dialect::postgres ? embedded_postgres_migrations() : embedded_sqlite_migrations();
}

int migrate(Database& database, const std::vector<Migration>& migrations) {
  auto ordered = migrations;
  std::sort(ordered.begin(), ordered.end(), [](auto& a, auto& b) { return a.version < b.version; });
  ensure_migrations_table(database);
  int applied_now = 0;
  for (const auto& migration : ordered) {
    bool ran = run_transaction(database, [&](Connection& connection) {
      if (connection.dialect() == Dialect::postgres) connection.execute(pg_lock_sql);
      if (applied_version(connection) >= migration.version) return false;
      connection.execute_script(migration.sql);
      connection.execute(record_sql, {std::int64_t{migration.version}, std::string{migration.name}, now_text(connection)});
      return true;
    });
    if (ran) ++applied_now;
  }
  return applied_now;
}

SchemaStatus schema_status(Database& database, const std::vector<Migration>& migrations) {
  auto lease = database.acquire();
  int applied = migrations_table_exists(*lease) ? applied_version(*lease) : 0;
  return SchemaStatus{applied, highest(migrations)};
}

}  // namespace mercato::db
