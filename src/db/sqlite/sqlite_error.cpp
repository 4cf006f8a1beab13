#include "db/sqlite/sqlite_error.hpp"

#include <sqlite3.h>

namespace mercato::db {

namespace {

int primary(int code) noexcept { return code & 0xff; }

}  // namespace

Failure classify_sqlite_error(int code) noexcept {
  switch (code) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY: return Failure::unique_violation;
    case SQLITE_CONSTRAINT_FOREIGNKEY: return Failure::foreign_key_violation;
    case SQLITE_CONSTRAINT_CHECK:
    // Our triggers RAISE(ABORT) for the checks SQLite cannot add to an existing table.
    case SQLITE_CONSTRAINT_TRIGGER: return Failure::check_violation;
    case SQLITE_CONSTRAINT_NOTNULL: return Failure::not_null_violation;
    default: break;
  }
  switch (primary(code)) {
    // Another connection holds the write lock past busy_timeout: trying again later helps.
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return Failure::serialization_failure;
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
    case SQLITE_FULL: return Failure::unavailable;
    default: return Failure::other;
  }
}

bool is_fatal_sqlite_error(int code) noexcept {
  switch (primary(code)) {
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
    case SQLITE_NOMEM: return true;
    default: return false;
  }
}

std::string sqlite_constraint_name(std::string_view message) {
  constexpr std::string_view marker = "constraint failed: ";
  auto at = message.find(marker);
  if (at == std::string_view::npos) return {};
  auto name = message.substr(at + marker.size());
  constexpr std::string_view index_prefix = "index '";
  if (name.starts_with(index_prefix) && name.ends_with('\'')) {
    name.remove_prefix(index_prefix.size());
    name.remove_suffix(1);
  }
  return std::string(name);
}

DbError sqlite_error(int code, std::string_view message) {
  auto failure = classify_sqlite_error(code);
  std::string constraint;
  if (code == SQLITE_CONSTRAINT_TRIGGER) constraint = message;  // RAISE's message is the constraint's name
  else if (primary(code) == SQLITE_CONSTRAINT) constraint = sqlite_constraint_name(message);
  return DbError(failure, "SQLite error " + std::to_string(code) + ": " + std::string(message), std::move(constraint));
}

}  // namespace mercato::db
