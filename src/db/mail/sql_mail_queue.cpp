#include "db/mail/sql_mail_queue.hpp"

#include <string_view>

#include "core/time_format.hpp"
#include "db/mail/email_payload.hpp"
#include "security/uuid.hpp"

namespace mercato::db {

namespace {

constexpr std::string_view insert_email_sql =
    "INSERT INTO outbound_emails (id, payload_encrypted, created_at, attempts, next_attempt_at) "
    "VALUES ($1, $2, $3, 0, $3)";

}  // namespace

void SqlMailQueue::enqueue(const domain::EmailMessage& message) {
  auto now = format_rfc3339(clock_.now());
  connection_.execute(insert_email_sql,
                      {security::uuid_v7(clock_, random_), seal_email_payload(message, cipher_), now});
}

}  // namespace mercato::db
