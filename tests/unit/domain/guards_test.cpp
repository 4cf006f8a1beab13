#include <gtest/gtest.h>

#include "core/error.hpp"
#include "domain/accounts/guards.hpp"

using namespace mercato;

TEST(Guards, UnverifiedEmailIsForbiddenWithItsCode) {
  Principal unverified{"u1", "customer", "s1", false};
  try {
    domain::require_verified_email(unverified);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::forbidden);
    EXPECT_EQ(e.code(), "email_not_verified");
  }
  Principal verified{"u1", "customer", "s1", true};
  EXPECT_NO_THROW(domain::require_verified_email(verified));
}
