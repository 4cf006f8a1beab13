#pragma once
// A database on either backend with an encrypting outbox: enqueue through SqlMailQueue in a
// committed transaction, read back through OutboxRepository.

#include "db/mail/outbox_repository.hpp"
#include "db/mail/sql_mail_queue.hpp"
#include "db/transaction.hpp"
#include "integration/mail/mail_test_support.hpp"
#include "support/fixed_clock.hpp"
#include "support/test_database.hpp"

namespace mercato::testing {

inline const domain::EmailMessage confirmation{"ada@example.com", "Confirm your email",
                                               "Open http://localhost:8080/verify?token=Zm9vYmFyYmF6 to confirm.\n"};

class OutboxTest : public BackendTest {
 protected:
  void enqueue(const domain::EmailMessage& message, const security::FieldCipher& with) {
    db::run_transaction(database(),
                        [&](db::Connection& c) { db::SqlMailQueue(c, with, clock, random).enqueue(message); });
  }
  void enqueue(const domain::EmailMessage& message = confirmation) { enqueue(message, cipher); }
  db::OutboxRepository repository() { return db::OutboxRepository(database(), cipher, clock); }

  FixedClock clock;
  security::SystemRandom random;
  security::FieldCipher cipher{test_key(0xa1), {}, random};
};

}  // namespace mercato::testing
