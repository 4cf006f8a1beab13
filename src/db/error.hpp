#pragma once
// Database failures, classified by SQLSTATE / SQLite result code. Each is also a client
// error of the right kind, so the one error mapper needs no knowledge of databases.

#include <string>

#include "core/error.hpp"

namespace mercato::db {

enum class Failure {
  unique_violation,       // 409
  foreign_key_violation,  // 409
  check_violation,        // 400
  not_null_violation,     // 400
  serialization_failure,  // retried by run_transaction, then 503
  unavailable,            // connection lost or refused, pool exhausted: 503
  other,                  // 500
};

class DbError : public Error {
 public:
  DbError(Failure failure, std::string detail, std::string constraint = {});

  Failure failure() const noexcept { return failure_; }
  // Name of the violated constraint or index, when the driver reports it.
  const std::string& constraint() const noexcept { return constraint_; }
  bool retryable() const noexcept { return failure_ == Failure::serialization_failure; }

 private:
  Failure failure_;
  std::string constraint_;
};

}  // namespace mercato::db
