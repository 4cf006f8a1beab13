#include <gtest/gtest.h>

#include <filesystem>
#include <stdexcept>

#include "db/database.hpp"
#include "support/test_database.hpp"

using mercato::db::Dialect;
using mercato::db::open_database;

namespace {

std::string rejection_of(const std::string& url) {
  try {
    open_database(url, {});
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "(accepted)";
}

}  // namespace

TEST(DbOpenDatabase, RejectsUnknownSchemesWithoutEchoingTheUrl) {
  auto message = rejection_of("mysql://root:hunter2-secret@db.internal/shop");
  EXPECT_NE(message.find("\"mysql\""), std::string::npos) << message;
  EXPECT_EQ(message.find("hunter2-secret"), std::string::npos) << message;
  EXPECT_EQ(message.find("db.internal"), std::string::npos) << message;
}

TEST(DbOpenDatabase, RejectsUrlsWithoutScheme) {
  EXPECT_NE(rejection_of("data/mercato.db").find("no recognisable scheme"), std::string::npos);
  EXPECT_NE(rejection_of("").find("no recognisable scheme"), std::string::npos);
  EXPECT_EQ(rejection_of("user:pa$$word@host").find("pa$$word"), std::string::npos);
}

TEST(DbOpenDatabase, RejectsSqliteUrlsThatCannotBackAPool) {
  EXPECT_NE(rejection_of("sqlite::memory:").find("its own empty database"), std::string::npos);
  EXPECT_NE(rejection_of("sqlite:").find("names no SQLite file"), std::string::npos);
  EXPECT_NE(rejection_of("sqlite://data/mercato.db").find("ambiguous"), std::string::npos);
  EXPECT_NE(rejection_of("postgresql:host").find("not supported"), std::string::npos);
}

TEST(DbOpenDatabase, OpensPostgresPoolsWithoutConnecting) {
  // Port 1 has no server: connecting would fail, but nothing connects before acquire().
  auto database = open_database("postgresql://mercato:secret@127.0.0.1:1/mercato", {});
  EXPECT_EQ(database->dialect(), Dialect::postgres);
  EXPECT_EQ(open_database("postgres://127.0.0.1:1/mercato", {})->dialect(), Dialect::postgres);
}

TEST(DbOpenDatabase, OpensSqliteLazilyAndCreatesTheFolder) {
  mercato::testing::ScratchFolder scratch;
  auto file = scratch.path() / "nested" / "mercato.db";
  auto database = open_database("sqlite:" + file.string(), {});
  EXPECT_EQ(database->dialect(), Dialect::sqlite);
  EXPECT_FALSE(std::filesystem::exists(file.parent_path()));
  {
    auto lease = database->acquire();
    EXPECT_EQ(lease->execute("SELECT 1").rows.at(0).int64(0), 1);
  }
  EXPECT_TRUE(std::filesystem::exists(file));
}
