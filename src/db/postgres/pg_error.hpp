#pragma once
// How PostgreSQL errors map onto db::Failure, and keeping the password out of connection
// errors. Kept apart from the connection so that both can be tested without a server.

#include <string>
#include <string_view>

#include "db/error.hpp"

namespace mercato::db {

// By SQLSTATE (PG_DIAG_SQLSTATE), e.g. "23505" → unique_violation.
Failure classify_sqlstate(std::string_view sqlstate) noexcept;

// `message` with every form of the password found in `conninfo` (a postgresql:// URL or a
// key=value string) replaced by "***": libpq echoes pieces of a malformed connection string.
std::string without_password(std::string message, std::string_view conninfo);

}  // namespace mercato::db
