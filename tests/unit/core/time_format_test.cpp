#include <gtest/gtest.h>

#include "core/time_format.hpp"

using namespace std::chrono;
using mercato::format_rfc3339;
using mercato::parse_rfc3339;

TEST(TimeFormat, FormatsUtcWithFixedMicroseconds) {
  auto t = sys_days{year{2026} / 11 / 25} + hours{23} + minutes{4} + seconds{5} + microseconds{7};
  EXPECT_EQ(format_rfc3339(time_point_cast<system_clock::duration>(t)), "2026-11-25T23:04:05.000007Z");
}

TEST(TimeFormat, ParsesWhatItFormats) {
  auto t = time_point_cast<microseconds>(system_clock::now());
  auto parsed = parse_rfc3339(format_rfc3339(t));
  ASSERT_TRUE(parsed);
  EXPECT_EQ(time_point_cast<microseconds>(*parsed), t);
}

TEST(TimeFormat, ParsesPostgresOutputAndOffsets) {
  auto expected = sys_days{year{2026} / 11 / 25} + hours{23} + minutes{24} + seconds{30} + milliseconds{100};
  EXPECT_EQ(parse_rfc3339("2026-11-25 23:24:30.1+00"), expected);
  EXPECT_EQ(parse_rfc3339("2026-11-26T01:24:30.100+02:00"), expected);
  EXPECT_EQ(parse_rfc3339("2026-11-25T23:24:30.1Z"), expected);
}

TEST(TimeFormat, RejectsMalformedText) {
  for (auto bad : {"", "2026-11-25", "2026-13-01T00:00:00Z", "2026-11-25T23:24:30", "2026-11-25T23:24:30Zjunk",
                   "2026-02-30T00:00:00Z", "2026-11-25T23:24:30.Z"})
    EXPECT_FALSE(parse_rfc3339(bad)) << bad;
}

TEST(TimeFormat, HttpDate) {
  auto t = sys_days{year{1994} / 11 / 6} + hours{8} + minutes{49} + seconds{37};  // RFC 9110's example
  EXPECT_EQ(mercato::format_http_date(t), "Sun, 06 Nov 1994 08:49:37 GMT");
}

TEST(TimeFormat, TextOrderIsTimeOrder) {
  auto a = format_rfc3339(sys_days{year{2026} / 1 / 1} + microseconds{999});
  auto b = format_rfc3339(sys_days{year{2026} / 1 / 1} + milliseconds{1});
  EXPECT_LT(a, b);
}
