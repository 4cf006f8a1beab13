#include "db/error.hpp"

namespace mercato::db {

namespace {

ErrorKind kind_of(Failure failure) {
  switch (failure) {
    case Failure::unique_violation:
    case Failure::foreign_key_violation: return ErrorKind::conflict;
    case Failure::check_violation:
    case Failure::not_null_violation: return ErrorKind::invalid;
    case Failure::serialization_failure:
    case Failure::unavailable: return ErrorKind::unavailable;
    case Failure::other: break;
  }
  return ErrorKind::internal;
}

const char* code_of(Failure failure) {
  switch (failure) {
    case Failure::unique_violation: return "already_exists";
    case Failure::foreign_key_violation: return "reference_conflict";
    case Failure::check_violation: return "constraint_violation";
    case Failure::not_null_violation: return "missing_value";
    case Failure::serialization_failure: return "busy";
    case Failure::unavailable: return "database_unavailable";
    case Failure::other: break;
  }
  return "internal_error";
}

const char* message_of(Failure failure) {
  switch (failure) {
    case Failure::unique_violation: return "A resource with these values already exists.";
    case Failure::foreign_key_violation: return "The request refers to a resource that does not exist or is still in use.";
    case Failure::check_violation: return "A value is outside what is allowed.";
    case Failure::not_null_violation: return "A required value is missing.";
    case Failure::serialization_failure: return "The service is busy; try again.";
    case Failure::unavailable: return "The database is unavailable; try again shortly.";
    case Failure::other: break;
  }
  return "Internal server error.";
}

}  // namespace

DbError::DbError(Failure failure, std::string detail, std::string constraint)
    : Error(kind_of(failure), code_of(failure), message_of(failure), std::move(detail)),
      failure_(failure),
      constraint_(std::move(constraint)) {
  if (failure == Failure::unavailable || failure == Failure::serialization_failure) with_retry_after(1);
}

}  // namespace mercato::db
