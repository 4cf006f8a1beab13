#include "db/postgres/pg_text.hpp"

#include "core/time_format.hpp"

namespace mercato::db {

namespace {

struct Encoder {
  std::string& storage;

  const char* operator()(Null) const { return nullptr; }
  const char* operator()(std::int64_t value) const { return (storage = std::to_string(value)).c_str(); }
  const char* operator()(bool value) const { return (storage = value ? "true" : "false").c_str(); }
  const char* operator()(const std::string& value) const { return value.c_str(); }
};

}  // namespace

PgParams::PgParams(std::span<const Param> params) : texts_(params.size()) {
  values_.reserve(params.size());
  for (std::size_t i = 0; i < params.size(); ++i) values_.push_back(std::visit(Encoder{texts_[i]}, params[i]));
}

std::string pg_value_text(unsigned oid, std::string_view text) {
  if (oid != pg_timestamptz_oid && oid != pg_timestamp_oid) return std::string(text);
  std::string instant(text);
  // A timestamp without time zone carries no offset; the schema keeps every time in UTC.
  if (oid == pg_timestamp_oid) instant += 'Z';
  auto parsed = parse_rfc3339(instant);
  return parsed ? format_rfc3339(*parsed) : std::string(text);
}

}  // namespace mercato::db
