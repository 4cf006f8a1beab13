#include <gtest/gtest.h>

#include "support/db_error_of.hpp"

#include <filesystem>
#include <fstream>

#include "db/error.hpp"
#include "db/sqlite/sqlite_connection.hpp"
#include "support/test_database.hpp"

namespace db = mercato::db;
using mercato::testing::error_of;
using db::DbError;
using db::Failure;
using db::SqliteConnection;

namespace {

class SqliteConnectionTest : public ::testing::Test {
 protected:
  std::string file() const { return (folder_ / "test.db").string(); }
  static std::string pragma(db::Connection& c, const std::string& name) {
    return c.execute("PRAGMA " + name).rows.at(0).text(0);
  }

  mercato::testing::ScratchFolder scratch_;
  const std::filesystem::path& folder_ = scratch_.path();
};

TEST_F(SqliteConnectionTest, OpensInWalWithFullSyncAndForeignKeys) {
  SqliteConnection connection(file());
  EXPECT_EQ(connection.dialect(), db::Dialect::sqlite);
  EXPECT_EQ(pragma(connection, "journal_mode"), "wal");
  EXPECT_EQ(pragma(connection, "synchronous"), "2");  // FULL
  EXPECT_EQ(pragma(connection, "foreign_keys"), "1");
  EXPECT_EQ(pragma(connection, "busy_timeout"), "5000");
  EXPECT_TRUE(connection.usable());
}

TEST_F(SqliteConnectionTest, CreatesMissingFolders) {
  auto nested = folder_ / "a" / "b" / "shop.db";
  SqliteConnection connection(nested.string());
  connection.execute_script("CREATE TABLE t (x INTEGER)");
  EXPECT_TRUE(std::filesystem::exists(nested));
}

TEST_F(SqliteConnectionTest, UnopenableFileIsUnavailable) {
  std::ofstream(folder_ / "plain-file") << "not a folder";
  auto error = error_of([&] { SqliteConnection connection((folder_ / "plain-file" / "x.db").string()); });
  EXPECT_EQ(error.failure(), Failure::unavailable);
  error = error_of([&] { SqliteConnection connection(folder_.string()); });  // a folder, not a file
  EXPECT_EQ(error.failure(), Failure::unavailable);
}

TEST_F(SqliteConnectionTest, LockedDatabaseIsARetryableFailure) {
  SqliteConnection writer(file());
  SqliteConnection other(file());
  other.execute("PRAGMA busy_timeout = 0");  // fail at once instead of waiting five seconds
  writer.begin();
  auto error = error_of([&] { other.begin(); });
  EXPECT_EQ(error.failure(), Failure::serialization_failure);
  EXPECT_TRUE(error.retryable());
  EXPECT_TRUE(other.usable());
  writer.rollback();
  other.begin();
  other.commit();
}

TEST_F(SqliteConnectionTest, UsableOnlyOutsideATransaction) {
  SqliteConnection connection(file());
  connection.begin();
  EXPECT_FALSE(connection.usable());
  connection.rollback();
  EXPECT_TRUE(connection.usable());
  connection.rollback();  // nothing to roll back: harmless
  EXPECT_TRUE(connection.usable());
}

TEST_F(SqliteConnectionTest, ReadersSeeCommittedWritesOnly) {
  SqliteConnection writer(file());
  SqliteConnection reader(file());
  writer.execute_script("CREATE TABLE t (x INTEGER)");
  writer.begin();
  writer.execute("INSERT INTO t (x) VALUES ($1)", {std::int64_t{1}});
  EXPECT_EQ(reader.execute("SELECT COUNT(*) FROM t").rows.at(0).int64(0), 0);  // WAL: no waiting for the writer
  writer.commit();
  EXPECT_EQ(reader.execute("SELECT COUNT(*) FROM t").rows.at(0).int64(0), 1);
}

TEST_F(SqliteConnectionTest, ScriptErrorsAreClassified) {
  SqliteConnection connection(file());
  connection.execute_script("CREATE TABLE t (x INTEGER NOT NULL)");
  auto error = error_of([&] { connection.execute_script("INSERT INTO t VALUES (1); INSERT INTO t VALUES (NULL)"); });
  EXPECT_EQ(error.failure(), Failure::not_null_violation);
}

}  // namespace
