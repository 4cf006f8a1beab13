#include "db/audit/sql_audit_log.hpp"

#include <boost/json/serialize.hpp>

#include "core/time_format.hpp"
#include "security/uuid.hpp"

namespace mercato::db {

namespace {

constexpr std::string_view insert_sql =
    "INSERT INTO audit_log (id, occurred_at, event, outcome, actor_id, subject_id, ip, request_id, details) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";

Param optional_uuid(const std::string& id) { return security::is_uuid(id) ? Param{id} : Param{Null{}}; }
Param optional_text(const std::string& text) { return text.empty() ? Param{Null{}} : Param{text}; }

}  // namespace

void SqlAuditLog::record(const domain::AuditEvent& event) {
  boost::json::object details;
  if (!event.reason.empty()) details["reason"] = event.reason;
  connection_.execute(insert_sql, {security::uuid_v7(clock_, random_), format_rfc3339(clock_.now()), event.event,
                                   std::string(event.success ? "success" : "failure"), optional_uuid(event.actor_id),
                                   optional_uuid(event.subject_id), optional_text(event.ip),
                                   optional_text(event.request_id), boost::json::serialize(details)});
  boost::json::object fields{{"audit_event", event.event}, {"outcome", event.success ? "success" : "failure"}};
  if (!event.actor_id.empty()) fields["actor_id"] = event.actor_id;
  if (!event.subject_id.empty()) fields["subject_id"] = event.subject_id;
  if (!event.ip.empty()) fields["ip"] = event.ip;
  if (!event.request_id.empty()) fields["request_id"] = event.request_id;
  if (!event.reason.empty()) fields["reason"] = event.reason;
  log_.log(event.success ? observability::LogLevel::info : observability::LogLevel::warn, "audit", std::move(fields));
}

}  // namespace mercato::db
