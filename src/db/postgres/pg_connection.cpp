#include "db/postgres/pg_connection.hpp"

#include <libpq-fe.h>

#include <cctype>
#include <charconv>

#include "db/error.hpp"
#include "db/postgres/pg_error.hpp"
#include "db/postgres/pg_text.hpp"

namespace mercato::db {

namespace {

// Timestamps print in UTC and ISO form whatever the server's defaults; without the last
// setting, NOTICEs such as "relation already exists, skipping" would go to stderr.
const std::string session_setup_sql =
    "SET TimeZone = 'UTC'; SET DateStyle = 'ISO, YMD'; SET client_min_messages = 'warning'";

std::string trimmed(std::string text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
  return text;
}

std::string_view sqlstate_of(const PGresult* result) {
  const char* state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  return state ? state : "";
}

// A cached statement the server no longer runs: the schema changed its result type
// (0A000, "cached plan must not change result type") or it was deallocated (26000).
bool is_stale_statement(const PGresult* result) {
  auto state = sqlstate_of(result);
  return state == "0A000" || state == "26000";
}

// The primary message and SQLSTATE only: the DETAIL line quotes row values
// ("Key (email)=(...) already exists"), which do not belong in the logs.
std::string error_detail(PGconn* conn, const PGresult* result) {
  const char* primary = result ? PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
  std::string text = primary ? primary : result ? trimmed(PQresultErrorMessage(result)) : "";
  if (text.empty()) text = trimmed(PQerrorMessage(conn));  // lost connections carry no fields
  auto state = sqlstate_of(result);
  if (!state.empty()) text += " (SQLSTATE " + std::string(state) + ")";
  return "PostgreSQL: " + text;
}

std::int64_t affected_rows(PGresult* result) {
  if (std::string_view(PQcmdStatus(result)).starts_with("SELECT")) return 0;  // rows read, not written
  std::string_view count = PQcmdTuples(result);
  std::int64_t out = 0;
  std::from_chars(count.data(), count.data() + count.size(), out);
  return out;
}

Result to_result(PGresult* result) {
  Result out;
  int fields = PQnfields(result);
  int tuples = PQntuples(result);
  for (int f = 0; f < fields; ++f) out.columns.emplace_back(PQfname(result, f));
  out.rows.reserve(static_cast<std::size_t>(tuples));
  for (int t = 0; t < tuples; ++t) {
    std::vector<std::optional<std::string>> values;
    values.reserve(static_cast<std::size_t>(fields));
    for (int f = 0; f < fields; ++f) {
      if (PQgetisnull(result, t, f)) {
        values.emplace_back();
        continue;
      }
      std::string_view text(PQgetvalue(result, t, f), static_cast<std::size_t>(PQgetlength(result, t, f)));
      values.emplace_back(pg_value_text(PQftype(result, f), text));
    }
    out.rows.emplace_back(std::move(values));
  }
  out.affected_rows = affected_rows(result);
  return out;
}

}  // namespace

void PgConnection::Finish::operator()(PGconn* conn) const noexcept { PQfinish(conn); }
void PgConnection::Clear::operator()(PGresult* result) const noexcept { PQclear(result); }

PgConnection::PgConnection(const std::string& conninfo) {
  // libpq applies keywords in order and expands the URL in place of dbname, so a
  // connect_timeout or gssencmode written in the URL wins over the default given before it.
  // GSSAPI encryption is off unless asked for: trying it first loads Kerberos on every
  // connect (milliseconds of a Lambda cold start), and RDS does not offer it.
  const char* const keywords[] = {"connect_timeout", "gssencmode", "fallback_application_name", "dbname", nullptr};
  const char* const values[] = {"5", "disable", "mercato", conninfo.c_str(), nullptr};
  conn_.reset(PQconnectdbParams(keywords, values, 1));
  if (!conn_ || PQstatus(conn_.get()) != CONNECTION_OK) {
    std::string reason = conn_ ? trimmed(PQerrorMessage(conn_.get())) : "out of memory";
    throw DbError(Failure::unavailable, "cannot connect to PostgreSQL: " + without_password(reason, conninfo));
  }
  run_simple(session_setup_sql);
}

PgConnection::~PgConnection() = default;

Result PgConnection::execute(std::string_view sql, std::span<const Param> params) {
  auto result = run_prepared(prepared(sql), params);
  if (is_stale_statement(result.get())) {
    statements_.erase(statements_.find(sql));
    // Outside a transaction the failure aborted nothing: prepare afresh and run once more.
    if (PQtransactionStatus(conn_.get()) == PQTRANS_IDLE) result = run_prepared(prepared(sql), params);
  }
  return to_result(checked(std::move(result)).get());
}

// Several statements in one simple-protocol round trip; it stops at the first error.
void PgConnection::execute_script(std::string_view sql) { run_simple(std::string(sql)); }

void PgConnection::begin() { run_simple("BEGIN ISOLATION LEVEL READ COMMITTED"); }

void PgConnection::commit() {
  auto result = run_simple("COMMIT");
  // COMMIT of a transaction that an earlier error aborted "succeeds" by rolling back.
  if (std::string_view(PQcmdStatus(result.get())) == "ROLLBACK")
    throw DbError(Failure::other, "COMMIT rolled back a transaction that an earlier error had aborted");
}

void PgConnection::rollback() noexcept {
  ResultPtr result(PQexec(conn_.get(), "ROLLBACK"));
  if (!result || PQresultStatus(result.get()) != PGRES_COMMAND_OK || PQtransactionStatus(conn_.get()) != PQTRANS_IDLE)
    broken_ = true;
}

bool PgConnection::usable() const noexcept {
  return !broken_ && PQstatus(conn_.get()) == CONNECTION_OK && PQtransactionStatus(conn_.get()) == PQTRANS_IDLE;
}

std::string PgConnection::prepared(std::string_view sql) {
  if (auto it = statements_.find(sql); it != statements_.end()) return it->second;
  auto name = "s" + std::to_string(next_statement_++);
  checked(ResultPtr(PQprepare(conn_.get(), name.c_str(), std::string(sql).c_str(), 0, nullptr)));
  statements_.emplace(std::string(sql), name);
  return name;
}

PgConnection::ResultPtr PgConnection::run_prepared(const std::string& name, std::span<const Param> params) {
  PgParams texts(params);
  return ResultPtr(PQexecPrepared(conn_.get(), name.c_str(), texts.size(), texts.values(), nullptr, nullptr, 0));
}

PgConnection::ResultPtr PgConnection::run_simple(const std::string& sql) {
  return checked(ResultPtr(PQexec(conn_.get(), sql.c_str())));
}

PgConnection::ResultPtr PgConnection::checked(ResultPtr result) {
  auto status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK && status != PGRES_EMPTY_QUERY) fail(result.get());
  return result;
}

void PgConnection::fail(const pg_result* result) {
  auto failure = classify_sqlstate(sqlstate_of(result));
  if (PQstatus(conn_.get()) == CONNECTION_BAD) failure = Failure::unavailable;
  if (failure == Failure::unavailable) broken_ = true;
  const char* constraint = result ? PQresultErrorField(result, PG_DIAG_CONSTRAINT_NAME) : nullptr;
  throw DbError(failure, error_detail(conn_.get(), result), constraint ? constraint : "");
}

}  // namespace mercato::db
