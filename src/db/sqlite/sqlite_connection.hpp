#pragma once
// db::Connection over one SQLite database file in WAL mode. The pool lends a connection to
// one thread at a time, so it is opened without SQLite's per-connection mutex.

#include <map>
#include <memory>
#include <string>

#include "db/connection.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace mercato::db {

class SqliteConnection final : public Connection {
 public:
  // Opens the file (creating it and its folder when missing) and sets the pragmas.
  // Throws DbError(unavailable) when the file cannot be opened.
  explicit SqliteConnection(const std::string& path);
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;
  ~SqliteConnection() override;

  using Connection::execute;
  Dialect dialect() const noexcept override { return Dialect::sqlite; }
  Result execute(std::string_view sql, std::span<const Param> params) override;
  void execute_script(std::string_view sql) override;
  void begin() override;
  void commit() override;
  void rollback() noexcept override;
  bool usable() const noexcept override;

 private:
  struct CloseDatabase {
    void operator()(sqlite3* db) const noexcept;
  };
  struct FinalizeStatement {
    void operator()(sqlite3_stmt* stmt) const noexcept;
  };
  using DatabasePtr = std::unique_ptr<sqlite3, CloseDatabase>;
  using StatementPtr = std::unique_ptr<sqlite3_stmt, FinalizeStatement>;

  void configure();
  std::string enable_wal();
  sqlite3_stmt* cached(std::string_view sql);
  StatementPtr prepare(std::string_view sql, unsigned flags);
  bool holds_statement(const char* first, const char* last);
  void bind(sqlite3_stmt* stmt, std::span<const Param> params);
  Result run(sqlite3_stmt* stmt);
  std::string single_text(std::string_view sql);
  [[noreturn]] void fail(int code);

  DatabasePtr db_;
  // Declared after db_ so that every statement is finalized before the database closes.
  // Keys are the program's SQL texts (values are bound, never spliced), so it stays small.
  std::map<std::string, StatementPtr, std::less<>> statements_;
  bool broken_ = false;
};

}  // namespace mercato::db
