#pragma once
// One database connection. Drivers (sqlite/, postgres/) implement it; repositories use it.
// SQL uses $1, $2, ... placeholders on both dialects; values are always bound, never
// spliced into the text.

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace mercato::db {

enum class Dialect { sqlite, postgres };

struct Null {};
using Param = std::variant<Null, std::int64_t, std::string, bool>;

// A value, or NULL when there is none.
inline Param optional_param(const std::optional<std::string>& value) { return value ? Param{*value} : Param{Null{}}; }

// A result row; every value is delivered as text (or null) and converted on request.
// Timestamps come as RFC 3339 UTC text on both dialects.
class Row {
 public:
  explicit Row(std::vector<std::optional<std::string>> values) : values_(std::move(values)) {}

  std::size_t size() const noexcept { return values_.size(); }
  bool is_null(std::size_t i) const { return !values_.at(i).has_value(); }
  const std::string& text(std::size_t i) const;  // throws DbError on null
  std::optional<std::string> optional_text(std::size_t i) const { return values_.at(i); }
  std::int64_t int64(std::size_t i) const;
  std::optional<std::int64_t> optional_int64(std::size_t i) const;
  bool boolean(std::size_t i) const;

 private:
  std::vector<std::optional<std::string>> values_;
};

struct Result {
  std::vector<std::string> columns;
  std::vector<Row> rows;
  std::int64_t affected_rows = 0;
};

class Connection {
 public:
  virtual ~Connection() = default;

  virtual Dialect dialect() const noexcept = 0;
  // Runs one statement through the connection's prepared-statement cache.
  virtual Result execute(std::string_view sql, std::span<const Param> params) = 0;
  // Runs several statements without parameters (migrations).
  virtual void execute_script(std::string_view sql) = 0;
  // Starts a write transaction (SQLite: BEGIN IMMEDIATE, so that two writers never
  // deadlock on a lock upgrade).
  virtual void begin() = 0;
  virtual void commit() = 0;
  virtual void rollback() noexcept = 0;
  // False once the connection is known to be broken; the pool then discards it.
  virtual bool usable() const noexcept = 0;

  Result execute(std::string_view sql, std::initializer_list<Param> params) {
    return execute(sql, std::span<const Param>{params.begin(), params.size()});
  }
  Result execute(std::string_view sql) { return execute(sql, std::span<const Param>{}); }
};

}  // namespace mercato::db
