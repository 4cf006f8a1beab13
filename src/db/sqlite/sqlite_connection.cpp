#include "db/sqlite/sqlite_connection.hpp"

#include <sqlite3.h>

#include <chrono>
#include <filesystem>
#include <system_error>

#include "db/error.hpp"
#include "db/sqlite/sqlite_error.hpp"

namespace mercato::db {

namespace {

constexpr int busy_timeout_ms = 5000;

// Ends a run of a cached statement however the run ends, so that between uses it holds no
// read snapshot and no pointers into the caller's parameters.
class StatementReset {
 public:
  explicit StatementReset(sqlite3_stmt* stmt) noexcept : stmt_(stmt) {}
  StatementReset(const StatementReset&) = delete;
  StatementReset& operator=(const StatementReset&) = delete;
  ~StatementReset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }

 private:
  sqlite3_stmt* stmt_;
};

struct Binder {
  sqlite3_stmt* stmt;
  int index;

  int operator()(Null) const { return sqlite3_bind_null(stmt, index); }
  int operator()(std::int64_t value) const { return sqlite3_bind_int64(stmt, index, value); }
  int operator()(bool value) const { return sqlite3_bind_int(stmt, index, value ? 1 : 0); }
  // SQLITE_STATIC: the caller's string outlives the run, and StatementReset clears the
  // binding before the run returns.
  int operator()(const std::string& value) const {
    return sqlite3_bind_text64(stmt, index, value.data(), value.size(), SQLITE_STATIC, SQLITE_UTF8);
  }
};

Row read_row(sqlite3_stmt* stmt) {
  int count = sqlite3_column_count(stmt);
  std::vector<std::optional<std::string>> values;
  values.reserve(static_cast<std::size_t>(count));
  for (int i = 0; i < count; ++i) {
    if (sqlite3_column_type(stmt, i) == SQLITE_NULL) {
      values.emplace_back();
      continue;
    }
    auto text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, i));
    if (!text) throw DbError(Failure::other, "SQLite ran out of memory converting a column to text");
    values.emplace_back(std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(stmt, i))));
  }
  return Row(std::move(values));
}

void create_parent_folder(const std::string& path) {
  auto parent = std::filesystem::path(path).parent_path();
  if (parent.empty()) return;
  std::error_code ec;
  std::filesystem::create_directories(parent, ec);
  if (ec) throw DbError(Failure::unavailable, "cannot create folder " + parent.string() + ": " + ec.message());
}

}  // namespace

void SqliteConnection::CloseDatabase::operator()(sqlite3* db) const noexcept { sqlite3_close_v2(db); }
void SqliteConnection::FinalizeStatement::operator()(sqlite3_stmt* stmt) const noexcept { sqlite3_finalize(stmt); }

SqliteConnection::SqliteConnection(const std::string& path) {
  create_parent_folder(path);
  sqlite3* raw = nullptr;
  constexpr int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
  int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  db_.reset(raw);  // SQLite allocates a handle even when opening fails
  if (rc != SQLITE_OK) {
    std::string reason = raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc);
    throw DbError(Failure::unavailable, "cannot open SQLite database " + path + ": " + reason);
  }
  sqlite3_extended_result_codes(raw, 1);
  configure();
}

SqliteConnection::~SqliteConnection() = default;

void SqliteConnection::configure() {
  // First, so that the pragmas below also wait for a lock another connection holds.
  sqlite3_busy_timeout(db_.get(), busy_timeout_ms);
  // WAL lets readers go on beside the one writer.
  auto mode = enable_wal();
  if (mode != "wal") throw DbError(Failure::unavailable, "SQLite refused WAL mode; journal_mode is " + mode);
  // An acknowledged write must survive a power loss or OS crash. In WAL mode
  // synchronous=NORMAL does not sync the WAL at each commit, so the last commits can be
  // lost; FULL syncs it at every commit. Foreign keys are off unless each connection asks.
  execute_script("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON");
}

// Switching a new file to WAL upgrades a read lock, and SQLite can refuse that at once,
// without calling the busy handler, while another connection holds a lock (waiting could
// deadlock): seen when two pools open a new file together. So retry, within busy_timeout.
std::string SqliteConnection::enable_wal() {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(busy_timeout_ms);
  while (true) {
    try {
      return single_text("PRAGMA journal_mode = WAL");
    } catch (const DbError& e) {
      if (!e.retryable() || std::chrono::steady_clock::now() >= deadline) throw;
    }
    sqlite3_sleep(1);
  }
}

Result SqliteConnection::execute(std::string_view sql, std::span<const Param> params) {
  auto stmt = cached(sql);
  StatementReset reset(stmt);
  bind(stmt, params);
  return run(stmt);
}

void SqliteConnection::execute_script(std::string_view sql) {
  std::string text(sql);  // sqlite3_exec wants a NUL-terminated string
  int rc = sqlite3_exec(db_.get(), text.c_str(), nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) fail(rc);
}

// IMMEDIATE takes the write lock now, so two writers never deadlock upgrading a read lock.
void SqliteConnection::begin() { execute("BEGIN IMMEDIATE"); }

void SqliteConnection::commit() {
  try {
    execute("COMMIT");
  } catch (...) {
    // Unlike PostgreSQL, SQLite keeps the transaction open when COMMIT fails (SQLITE_BUSY);
    // callers take a failed commit as the end of the transaction, so end it.
    rollback();
    throw;
  }
}

void SqliteConnection::rollback() noexcept {
  if (sqlite3_get_autocommit(db_.get())) return;  // SQLite already rolled back (e.g. on SQLITE_FULL)
  try {
    execute("ROLLBACK");
  } catch (...) {
    // judged below
  }
  if (!sqlite3_get_autocommit(db_.get())) broken_ = true;
}

// A connection still inside a transaction would keep the write lock and stall every writer.
bool SqliteConnection::usable() const noexcept { return !broken_ && sqlite3_get_autocommit(db_.get()) != 0; }

sqlite3_stmt* SqliteConnection::cached(std::string_view sql) {
  if (auto it = statements_.find(sql); it != statements_.end()) return it->second.get();
  auto stmt = prepare(sql, SQLITE_PREPARE_PERSISTENT);
  return statements_.emplace(std::string(sql), std::move(stmt)).first->second.get();
}

SqliteConnection::StatementPtr SqliteConnection::prepare(std::string_view sql, unsigned flags) {
  sqlite3_stmt* raw = nullptr;
  const char* tail = nullptr;
  int rc = sqlite3_prepare_v3(db_.get(), sql.data(), static_cast<int>(sql.size()), flags, &raw, &tail);
  StatementPtr stmt(raw);
  if (rc != SQLITE_OK) fail(rc);
  if (!stmt) throw DbError(Failure::other, "the SQL text holds no statement");
  // PostgreSQL refuses several statements in one prepared statement; so does this driver,
  // rather than silently ignoring all but the first.
  if (holds_statement(tail, sql.data() + sql.size()))
    throw DbError(Failure::other, "execute() runs one statement; use execute_script() for several");
  return stmt;
}

bool SqliteConnection::holds_statement(const char* first, const char* last) {
  sqlite3_stmt* raw = nullptr;
  int rc = sqlite3_prepare_v2(db_.get(), first, static_cast<int>(last - first), &raw, nullptr);
  StatementPtr stmt(raw);
  return rc != SQLITE_OK || stmt != nullptr;
}

// Placeholders are $1, $2, ... as on PostgreSQL: each is looked up by name, so the order in
// which they appear in the text does not matter.
void SqliteConnection::bind(sqlite3_stmt* stmt, std::span<const Param> params) {
  auto expected = static_cast<std::size_t>(sqlite3_bind_parameter_count(stmt));
  if (expected != params.size())
    throw DbError(Failure::other, "the statement takes " + std::to_string(expected) + " parameters, " +
                                      std::to_string(params.size()) + " given");
  for (std::size_t i = 0; i < params.size(); ++i) {
    auto name = "$" + std::to_string(i + 1);
    int index = sqlite3_bind_parameter_index(stmt, name.c_str());
    if (index == 0) throw DbError(Failure::other, "the statement has no placeholder " + name);
    int rc = std::visit(Binder{stmt, index}, params[i]);
    if (rc != SQLITE_OK) fail(rc);
  }
}

Result SqliteConnection::run(sqlite3_stmt* stmt) {
  Result result;
  auto changes_before = sqlite3_total_changes64(db_.get());
  int rc = SQLITE_OK;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) result.rows.push_back(read_row(stmt));
  if (rc != SQLITE_DONE) fail(rc);
  // Names are read after stepping: a statement re-prepared after a schema change may have
  // gained or lost columns.
  int columns = sqlite3_column_count(stmt);
  for (int i = 0; i < columns; ++i) result.columns.emplace_back(sqlite3_column_name(stmt, i));
  // sqlite3_changes keeps the count of the last INSERT/UPDATE/DELETE, so it only answers
  // for this statement when this statement changed something.
  if (sqlite3_total_changes64(db_.get()) != changes_before) result.affected_rows = sqlite3_changes64(db_.get());
  return result;
}

std::string SqliteConnection::single_text(std::string_view sql) {
  auto stmt = prepare(sql, 0);
  auto result = run(stmt.get());
  return result.rows.empty() ? std::string{} : result.rows.front().optional_text(0).value_or("");
}

void SqliteConnection::fail(int code) {
  if (is_fatal_sqlite_error(code)) broken_ = true;
  throw sqlite_error(code, sqlite3_errmsg(db_.get()));
}

}  // namespace mercato::db
