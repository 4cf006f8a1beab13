#pragma once
// The transactional outbox: enqueue() inserts into outbound_emails on the caller's
// connection, so the email is committed or rolled back with the change that caused it.
// Build one per transaction on the transaction's connection.

#include "core/clock.hpp"
#include "db/connection.hpp"
#include "domain/mail/mail_queue.hpp"
#include "security/field_cipher.hpp"
#include "security/random.hpp"

namespace mercato::db {

class SqlMailQueue final : public domain::MailQueue {
 public:
  SqlMailQueue(Connection& connection, const security::FieldCipher& cipher, const Clock& clock,
               security::RandomSource& random)
      : connection_(connection), cipher_(cipher), clock_(clock), random_(random) {}

  // Due at once (next_attempt_at = now); the payload is stored encrypted.
  void enqueue(const domain::EmailMessage& message) override;

 private:
  Connection& connection_;
  const security::FieldCipher& cipher_;
  const Clock& clock_;
  security::RandomSource& random_;
};

}  // namespace mercato::db
