#pragma once
// db::Connection over one libpq connection. The session runs in UTC with ISO dates, and
// statements are prepared once per connection, keyed by their SQL text.

#include <map>
#include <memory>
#include <string>

#include "db/connection.hpp"

struct pg_conn;
struct pg_result;

namespace mercato::db {

class PgConnection final : public Connection {
 public:
  // `conninfo` is a postgresql:// URL (or a key=value string); connect_timeout defaults to
  // 5 s. Throws DbError(unavailable) whose detail never holds the password.
  explicit PgConnection(const std::string& conninfo);
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;
  ~PgConnection() override;

  using Connection::execute;
  Dialect dialect() const noexcept override { return Dialect::postgres; }
  Result execute(std::string_view sql, std::span<const Param> params) override;
  void execute_script(std::string_view sql) override;
  void begin() override;
  void commit() override;
  void rollback() noexcept override;
  // False once the connection broke, and while a transaction is open or aborted: a lease
  // given back in that state must not carry the transaction to its next borrower.
  bool usable() const noexcept override;
  // For LISTEN (pg_listener.cpp), which waits on the socket and reads notifications.
  pg_conn* native_handle() const noexcept { return conn_.get(); }

 private:
  struct Finish {
    void operator()(pg_conn* conn) const noexcept;
  };
  struct Clear {
    void operator()(pg_result* result) const noexcept;
  };
  using ConnPtr = std::unique_ptr<pg_conn, Finish>;
  using ResultPtr = std::unique_ptr<pg_result, Clear>;

  std::string prepared(std::string_view sql);
  ResultPtr run_prepared(const std::string& name, std::span<const Param> params);
  ResultPtr run_simple(const std::string& sql);
  ResultPtr checked(ResultPtr result);
  [[noreturn]] void fail(const pg_result* result);

  ConnPtr conn_;
  std::map<std::string, std::string, std::less<>> statements_;  // SQL text → prepared name
  unsigned long next_statement_ = 1;
  bool broken_ = false;
};

}  // namespace mercato::db
