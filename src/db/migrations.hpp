#pragma once
// Forward-only, numbered schema migrations per dialect, compiled into the binary from
// migrations/<dialect>/NNNN_name.sql and recorded in schema_migrations.

#include <string_view>
#include <vector>

#include "db/database.hpp"

namespace mercato::db {

struct Migration {
  int version;
  std::string_view name;
  std::string_view sql;
};

const std::vector<Migration>& embedded_sqlite_migrations();
const std::vector<Migration>& embedded_postgres_migrations();
const std::vector<Migration>& embedded_migrations(Dialect dialect);

struct SchemaStatus {
  int applied = 0;  // highest version recorded in the database (0: none)
  int known = 0;    // highest version this binary carries
};

// Applies every pending migration, each in its own transaction; returns how many ran.
// Safe to run from several processes at once.
int migrate(Database& database, const std::vector<Migration>& migrations);
SchemaStatus schema_status(Database& database, const std::vector<Migration>& migrations);

}  // namespace mercato::db
