#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include <sstream>

#include "observability/logger.hpp"
#include "support/fixed_clock.hpp"

using namespace mercato::observability;

TEST(Logger, WritesOneJsonObjectPerLine) {
  mercato::testing::FixedClock clock;
  std::ostringstream out;
  Logger log(out, LogLevel::info, clock);
  log.info("order_created", {{"order_id", "o1"}, {"total", 1999}});
  auto entry = boost::json::parse(out.str()).as_object();
  EXPECT_EQ(entry.at("event"), "order_created");
  EXPECT_EQ(entry.at("level"), "info");
  EXPECT_EQ(entry.at("time"), "2026-11-25T00:00:00.000000Z");
  EXPECT_EQ(entry.at("total"), 1999);
}

TEST(Logger, DropsLinesBelowTheLevel) {
  mercato::testing::FixedClock clock;
  std::ostringstream out;
  Logger log(out, LogLevel::warn, clock);
  log.info("chatty");
  log.log(LogLevel::debug, "chattier");
  EXPECT_TRUE(out.str().empty());
  log.warn("worth_it");
  EXPECT_FALSE(out.str().empty());
}

TEST(Logger, RedactsSecretLookingFieldsAtAnyDepth) {
  mercato::testing::FixedClock clock;
  std::ostringstream out;
  Logger log(out, LogLevel::info, clock);
  log.info("oops", {{"password", "hunter22"},
                    {"refresh_token", "rt-value"},
                    {"nested", {{"Authorization", "Bearer abc"}, {"client_secret", "pi_x_secret_y"}}},
                    {"email_verified", true}});
  auto line = out.str();
  for (auto secret : {"hunter22", "rt-value", "Bearer abc", "pi_x_secret_y"})
    EXPECT_EQ(line.find(secret), std::string::npos) << secret;
  EXPECT_NE(line.find("email_verified"), std::string::npos);
}
