#pragma once
// Development delivery: each email becomes "<dir>/<UTC timestamp>-<id>.eml", so a newcomer
// without an SMTP server can open the message (and its verification link) in any mail
// client or text editor. Used when SMTP_URL is unset; the folder is MAIL_OUTBOX_DIR.

#include <filesystem>
#include <string_view>

#include "mail/mail_sender.hpp"
#include "mail/rfc5322.hpp"

namespace mercato::mail {

class FileOutboxSender final : public MailSender {
 public:
  // `from` is MAIL_FROM; throws std::invalid_argument when it is malformed. The folder is
  // created on the first send.
  FileOutboxSender(std::filesystem::path dir, std::string_view from, const Clock& clock,
                   security::RandomSource& random);

  // Writes a temporary file and renames it, so a reader never sees half a message.
  void send(const domain::EmailMessage& message) override;

 private:
  std::filesystem::path dir_;
  MessageComposer composer_;
  const Clock& clock_;
};

}  // namespace mercato::mail
