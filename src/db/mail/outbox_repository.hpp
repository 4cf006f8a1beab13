#pragma once
// The dispatcher's side of the outbox table: claim due emails under a lease, then record
// the outcome. Safe with several processes on one database: a claim is a conditional
// UPDATE, so two dispatchers never hold the same email at the same time.

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "db/database.hpp"
#include "domain/mail/mail_queue.hpp"
#include "security/field_cipher.hpp"

namespace mercato::db {

struct PendingEmail {
  std::string id;
  domain::EmailMessage message;
  int attempts = 0;  // attempts made before this one
};

// Called for a claimed row whose payload cannot be read (e.g. its key was removed from
// DATA_ENCRYPTION_OLD_KEYS); the row has already been put back with a long retry.
using UnreadableEmailHandler = std::function<void(const std::string& id, const std::string& error)>;

class OutboxRepository {
 public:
  // Rows that cannot be decrypted are retried this much later: a restored key heals them.
  static constexpr std::chrono::hours unreadable_retry{24};

  OutboxRepository(Database& database, const security::FieldCipher& cipher, const Clock& clock)
      : database_(database), cipher_(cipher), clock_(clock) {}

  // Up to `limit` unsent rows with next_attempt_at <= now, oldest first, each leased by
  // moving next_attempt_at to now + lease: if this process dies mid-send, the email is due
  // again when the lease ends (delivery is at-least-once).
  std::vector<PendingEmail> claim_due(std::size_t limit, std::chrono::seconds lease,
                                      const UnreadableEmailHandler& on_unreadable = {});
  // Records the delivery; the row stays as a record and is never due again.
  void mark_sent(const std::string& id);
  // Records a failed attempt: `attempts` is the new total, `error` a short reason without
  // secrets or addresses (it is stored in last_error).
  void mark_failed(const std::string& id, int attempts, std::chrono::system_clock::time_point retry_at,
                   const std::string& error);
  // Like mark_failed, but never due again: the row stays, unsent, with its last_error, for
  // an operator to inspect and requeue (UPDATE ... SET next_attempt_at = now()).
  void mark_given_up(const std::string& id, int attempts, const std::string& error);
  // Unsent rows, including given-up ones (they were not delivered either).
  std::size_t pending_count();

 private:
  Database& database_;
  const security::FieldCipher& cipher_;
  const Clock& clock_;
};

}  // namespace mercato::db
