#pragma once
// The DbError that `work` throws; a test failure (and a placeholder error) when it throws none.

#include <gtest/gtest.h>

#include "db/error.hpp"

namespace mercato::testing {

template <class Work>
db::DbError error_of(Work&& work) {
  try {
    work();
  } catch (const db::DbError& e) {
    return e;
  }
  ADD_FAILURE() << "expected a DbError";
  return db::DbError(db::Failure::other, "no error");
}

}  // namespace mercato::testing
