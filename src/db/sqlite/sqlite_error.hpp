#pragma once
// How SQLite result codes map onto db::Failure. Kept apart from the connection so that the
// mapping can be tested without provoking every error for real.

#include <string>
#include <string_view>

#include "db/error.hpp"

namespace mercato::db {

// `code` is an extended result code (the connection turns them on).
Failure classify_sqlite_error(int code) noexcept;

// True when the connection should not be trusted again (corruption, I/O error, out of
// memory): the pool then discards it and opens a fresh one.
bool is_fatal_sqlite_error(int code) noexcept;

// The constraint SQLite names in a message such as "UNIQUE constraint failed: users.email"
// or "... failed: index 'categories_name_key'"; empty when it names none.
std::string sqlite_constraint_name(std::string_view message);

DbError sqlite_error(int code, std::string_view message);

}  // namespace mercato::db
