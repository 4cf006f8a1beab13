#include "db/accounts/sql_account_transactions.hpp"

#include "db/audit/sql_audit_log.hpp"
#include "db/accounts/sql_external_identity_repository.hpp"
#include "db/accounts/sql_one_time_token_repository.hpp"
#include "db/accounts/sql_session_repository.hpp"
#include "db/accounts/sql_stream_ticket_repository.hpp"
#include "db/accounts/sql_user_repository.hpp"
#include "db/mail/sql_mail_queue.hpp"
#include "db/transaction.hpp"

namespace mercato::db {

namespace {

// Remembers whether the transaction queued anything.
class CountingMailQueue final : public domain::MailQueue {
 public:
  CountingMailQueue(Connection& connection, const security::FieldCipher& cipher, const Clock& clock,
                    security::RandomSource& random)
      : queue_(connection, cipher, clock, random) {}
  void enqueue(const domain::EmailMessage& message) override {
    queue_.enqueue(message);
    queued_ = true;
  }
  bool queued() const noexcept { return queued_; }

 private:
  SqlMailQueue queue_;
  bool queued_ = false;
};

class SqlAccountStore final : public domain::AccountStore {
 public:
  SqlAccountStore(Connection& connection, const security::FieldCipher& cipher, observability::Logger& log,
                  const Clock& clock, security::RandomSource& random)
      : users_(connection, cipher),
        sessions_(connection),
        tokens_(connection),
        stream_tickets_(connection),
        external_identities_(connection, cipher),
        audit_(connection, log, clock, random),
        mail_(connection, cipher, clock, random) {}

  domain::UserRepository& users() override { return users_; }
  domain::SessionRepository& sessions() override { return sessions_; }
  domain::OneTimeTokenRepository& one_time_tokens() override { return tokens_; }
  domain::StreamTicketRepository& stream_tickets() override { return stream_tickets_; }
  domain::ExternalIdentityRepository& external_identities() override { return external_identities_; }
  domain::AuditLog& audit() override { return audit_; }
  domain::MailQueue& mail() override { return mail_; }
  bool queued_mail() const noexcept { return mail_.queued(); }

 private:
  SqlUserRepository users_;
  SqlSessionRepository sessions_;
  SqlOneTimeTokenRepository tokens_;
  SqlStreamTicketRepository stream_tickets_;
  SqlExternalIdentityRepository external_identities_;
  SqlAuditLog audit_;
  CountingMailQueue mail_;
};

}  // namespace

void SqlAccountTransactions::run(const std::function<void(domain::AccountStore&)>& work) {
  bool queued_mail = run_transaction(database_, [&](Connection& connection) {
    SqlAccountStore store(connection, cipher_, log_, clock_, random_);
    work(store);
    return store.queued_mail();
  });
  if (queued_mail && on_mail_committed_) on_mail_committed_();
}

void SqlAccountTransactions::read(const std::function<void(domain::AccountStore&)>& work) {
  auto lease = database_.acquire();
  SqlAccountStore store(*lease, cipher_, log_, clock_, random_);
  work(store);
}

}  // namespace mercato::db
