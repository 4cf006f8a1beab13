#pragma once
// Binds the account repositories to one pooled connection, in a transaction for changes
// and without one for reads.

#include "core/clock.hpp"
#include "db/database.hpp"
#include "domain/accounts/account_store.hpp"
#include "observability/logger.hpp"
#include "security/field_cipher.hpp"
#include "security/random.hpp"

namespace mercato::db {

class SqlAccountTransactions final : public domain::AccountTransactions {
 public:
  SqlAccountTransactions(Database& database, const security::FieldCipher& cipher, observability::Logger& log,
                         const Clock& clock, security::RandomSource& random)
      : database_(database), cipher_(cipher), log_(log), clock_(clock), random_(random) {}

  // Called after a commit that queued email, so delivery need not wait for the next poll.
  void on_mail_committed(std::function<void()> callback) { on_mail_committed_ = std::move(callback); }

  void run(const std::function<void(domain::AccountStore&)>& work) override;
  void read(const std::function<void(domain::AccountStore&)>& work) override;

 private:
  Database& database_;
  const security::FieldCipher& cipher_;
  observability::Logger& log_;
  const Clock& clock_;
  security::RandomSource& random_;
  std::function<void()> on_mail_committed_;
};

}  // namespace mercato::db
