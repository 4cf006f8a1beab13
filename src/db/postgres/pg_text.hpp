#pragma once
// Values to and from PostgreSQL's text format: parameters for PQexecPrepared, and result
// values in the project's forms (timestamps as RFC 3339 UTC with six fraction digits).

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "db/connection.hpp"

namespace mercato::db {

constexpr unsigned pg_timestamp_oid = 1114;
constexpr unsigned pg_timestamptz_oid = 1184;

// Parameters as the C strings libpq takes: int64 in decimal, bool as true/false, Null as a
// null pointer. Strings are not copied, so the params must outlive this object.
class PgParams {
 public:
  explicit PgParams(std::span<const Param> params);
  PgParams(const PgParams&) = delete;
  PgParams& operator=(const PgParams&) = delete;

  int size() const noexcept { return static_cast<int>(values_.size()); }
  const char* const* values() const noexcept { return values_.data(); }

 private:
  std::vector<std::string> texts_;  // sized once, so pointers into it stay valid
  std::vector<const char*> values_;
};

// A result value of type `oid` as the rest of the program expects it. PostgreSQL prints
// "2026-11-25 23:24:30.1+00"; this returns "2026-11-25T23:24:30.100000Z". Values that are no
// instant ("infinity") stay as printed.
std::string pg_value_text(unsigned oid, std::string_view text);

}  // namespace mercato::db
