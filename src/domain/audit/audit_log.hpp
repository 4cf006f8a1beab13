#pragma once
// The audit log of security and business events, as an interface: src/db/audit/ writes it
// as a row and a JSON log line, inside the transaction of the change it records.

#include <string>

namespace mercato::domain {

struct AuditEvent {
  std::string event;    // e.g. "login"
  bool success = true;
  std::string actor_id;    // who did it; empty when anonymous
  std::string subject_id;  // the user or order it concerns; empty when unknown
  std::string ip;
  std::string request_id;
  std::string reason;  // why, or what changed (never a secret)
};

class AuditLog {
 public:
  virtual ~AuditLog() = default;
  virtual void record(const AuditEvent& event) = 0;
};

}  // namespace mercato::domain
