#pragma once
// Email delivery: SMTP when SMTP_URL is set, otherwise .eml files in MAIL_OUTBOX_DIR, fed
// by the outbox dispatcher's background thread (`serve`) or one pass after each request
// that queued mail (`lambda`).

#include <memory>

#include "app/application.hpp"
#include "app/config.hpp"
#include "db/mail/outbox_repository.hpp"
#include "mail/mail_dispatcher.hpp"
#include "mail/mail_sender.hpp"

namespace mercato::app {

class MailDelivery {
 public:
  MailDelivery(const Config& config, db::Database& database, const security::FieldCipher& cipher, Platform platform);
  ~MailDelivery() { stop(); }

  void start() { dispatcher_->start(); }
  void wake() { dispatcher_->wake(); }
  void stop() { dispatcher_->stop(); }
  // One pass on the caller's thread, for a process that runs no dispatcher thread (Lambda).
  std::size_t deliver_due() { return dispatcher_->deliver_due(); }

 private:
  std::unique_ptr<mail::MailSender> sender_;
  db::OutboxRepository outbox_;
  std::unique_ptr<mail::MailDispatcher> dispatcher_;
};

}  // namespace mercato::app
