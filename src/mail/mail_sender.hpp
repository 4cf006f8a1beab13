#pragma once
// The delivery end of the outbox: hands one composed email to a transport (SMTP in
// production, .eml files in development). The dispatcher retries what fails.

#include <stdexcept>
#include <string>

#include "domain/mail/mail_queue.hpp"

namespace mercato::mail {

// A failed delivery. what() is short and carries no secret, address or body, so it may be
// logged and stored as the outbox row's last_error. `permanent` means retrying the same
// message cannot help (it is malformed); transport failures are never permanent, because a
// misconfigured or unreachable server must not make every waiting email give up at once.
class MailError : public std::runtime_error {
 public:
  explicit MailError(const std::string& what, bool permanent = false)
      : std::runtime_error(what), permanent_(permanent) {}
  bool permanent() const noexcept { return permanent_; }

 private:
  bool permanent_;
};

class MailSender {
 public:
  virtual ~MailSender() = default;
  // Returns once the transport has accepted the message; throws MailError otherwise.
  virtual void send(const domain::EmailMessage& message) = 0;
};

}  // namespace mercato::mail
