#pragma once
// The audit log: a row in audit_log and a JSON log line per security event. Neither ever
// holds a password or token; callers pass reasons, not secrets.

#include "core/clock.hpp"
#include "db/connection.hpp"
#include "domain/audit/audit_log.hpp"
#include "observability/logger.hpp"
#include "security/random.hpp"

namespace mercato::db {

class SqlAuditLog final : public domain::AuditLog {
 public:
  SqlAuditLog(Connection& connection, observability::Logger& log, const Clock& clock, security::RandomSource& random)
      : connection_(connection), log_(log), clock_(clock), random_(random) {}

  void record(const domain::AuditEvent& event) override;

 private:
  Connection& connection_;
  observability::Logger& log_;
  const Clock& clock_;
  security::RandomSource& random_;
};

}  // namespace mercato::db
