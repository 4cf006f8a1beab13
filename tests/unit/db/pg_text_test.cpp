#include <gtest/gtest.h>

#include <limits>

#include "db/postgres/pg_text.hpp"

using mercato::db::Null;
using mercato::db::Param;
using mercato::db::pg_timestamp_oid;
using mercato::db::pg_timestamptz_oid;
using mercato::db::pg_value_text;
using mercato::db::PgParams;

TEST(DbPostgresText, NormalisesTimestampsToRfc3339) {
  EXPECT_EQ(pg_value_text(pg_timestamptz_oid, "2026-11-25 23:24:30.1+00"), "2026-11-25T23:24:30.100000Z");
  EXPECT_EQ(pg_value_text(pg_timestamptz_oid, "2026-11-25 23:24:30+00"), "2026-11-25T23:24:30.000000Z");
  EXPECT_EQ(pg_value_text(pg_timestamptz_oid, "2026-11-26 01:24:30.123456+02"), "2026-11-25T23:24:30.123456Z");
  EXPECT_EQ(pg_value_text(pg_timestamp_oid, "2026-11-25 23:24:30.5"), "2026-11-25T23:24:30.500000Z");
}

TEST(DbPostgresText, LeavesOtherValuesAsPrinted) {
  EXPECT_EQ(pg_value_text(pg_timestamptz_oid, "infinity"), "infinity");
  EXPECT_EQ(pg_value_text(16, "t"), "t");
  EXPECT_EQ(pg_value_text(25, "2026-11-25 23:24:30+00"), "2026-11-25 23:24:30+00");  // text stays text
}

TEST(DbPostgresText, EncodesParametersAsText) {
  std::string name = "Ada";
  std::vector<Param> params{Null{}, std::numeric_limits<std::int64_t>::min(), name, true, false};
  PgParams encoded(params);
  ASSERT_EQ(encoded.size(), 5);
  EXPECT_EQ(encoded.values()[0], nullptr);
  EXPECT_STREQ(encoded.values()[1], "-9223372036854775808");
  EXPECT_STREQ(encoded.values()[2], "Ada");
  EXPECT_STREQ(encoded.values()[3], "true");
  EXPECT_STREQ(encoded.values()[4], "false");
}
