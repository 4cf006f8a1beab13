#include <gtest/gtest.h>

#include "db/postgres/pg_error.hpp"

using mercato::db::classify_sqlstate;
using mercato::db::Failure;
using mercato::db::without_password;

TEST(DbPostgresError, ClassifiesBySqlstate) {
  EXPECT_EQ(classify_sqlstate("23505"), Failure::unique_violation);
  EXPECT_EQ(classify_sqlstate("23503"), Failure::foreign_key_violation);
  EXPECT_EQ(classify_sqlstate("23514"), Failure::check_violation);
  EXPECT_EQ(classify_sqlstate("23502"), Failure::not_null_violation);
  EXPECT_EQ(classify_sqlstate("40001"), Failure::serialization_failure);
  EXPECT_EQ(classify_sqlstate("40P01"), Failure::serialization_failure);
  EXPECT_EQ(classify_sqlstate("42601"), Failure::other);
  EXPECT_EQ(classify_sqlstate(""), Failure::other);
}

TEST(DbPostgresError, ClassifiesLostConnectionsAsUnavailable) {
  for (auto state : {"08000", "08003", "08006", "57P01", "57P02", "57P03", "53300"})
    EXPECT_EQ(classify_sqlstate(state), Failure::unavailable) << state;
  // A wrong parameter count is a bug on a healthy connection.
  EXPECT_EQ(classify_sqlstate("08P01"), Failure::other);
}

TEST(DbPostgresError, RemovesThePasswordInEveryForm) {
  auto url = "postgresql://shop:s3cr%40t-pw@db.internal:5432/shop";
  EXPECT_EQ(without_password("bad token s3cr%40t-pw and s3cr@t-pw", url), "bad token *** and ***");
  EXPECT_EQ(without_password("nothing secret here", url), "nothing secret here");
  EXPECT_EQ(without_password("got hunter2", "host=db password=hunter2 user=shop"), "got ***");
  EXPECT_EQ(without_password("got hunter2", "postgresql://db/shop?password=hunter2"), "got ***");
  EXPECT_EQ(without_password("got hunter2", "postgresql://shop@db/shop"), "got hunter2");
}
