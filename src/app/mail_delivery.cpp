#include "app/mail_delivery.hpp"

#include "mail/file_outbox_sender.hpp"
#include "mail/smtp_sender.hpp"

namespace mercato::app {

namespace {

std::unique_ptr<mail::MailSender> make_sender(const Config& config, Platform platform) {
  if (config.smtp_url.empty()) {
    platform.log.info("mail_delivery", {{"mode", "outbox_files"}, {"dir", config.mail_outbox_dir}});
    return std::make_unique<mail::FileOutboxSender>(config.mail_outbox_dir, config.mail_from, platform.clock,
                                                    platform.random);
  }
  try {
    auto sender = std::make_unique<mail::SmtpSender>(mail::SmtpOptions{config.smtp_url, config.mail_from},
                                                     platform.clock, platform.random);
    platform.log.info("mail_delivery", {{"mode", "smtp"}, {"server", sender->server()}});
    return sender;
  } catch (const std::invalid_argument& e) {
    throw ConfigError("SMTP_URL", e.what());
  }
}

}  // namespace

MailDelivery::MailDelivery(const Config& config, db::Database& database, const security::FieldCipher& cipher,
                           Platform platform)
    : sender_(make_sender(config, platform)),
      outbox_(database, cipher, platform.clock),
      dispatcher_(std::make_unique<mail::MailDispatcher>(outbox_, *sender_, platform.log, platform.clock)) {}

}  // namespace mercato::app
