#pragma once
// Production delivery through an SMTP server with libcurl (see smtp_url.hpp for SMTP_URL
// and its TLS modes). One connection per email: the dispatcher sends a few at a time and a
// fresh connection never trips over a server's idle timeout.

#include <chrono>
#include <string>

#include "mail/mail_sender.hpp"
#include "mail/rfc5322.hpp"
#include "mail/smtp_url.hpp"

namespace mercato::mail {

struct SmtpOptions {
  std::string url;   // SMTP_URL
  std::string from;  // MAIL_FROM
  std::chrono::milliseconds connect_timeout{10'000};
  std::chrono::milliseconds total_timeout{30'000};
};

class SmtpSender final : public MailSender {
 public:
  // Throws std::invalid_argument for a bad URL or From (fail fast at start-up).
  SmtpSender(SmtpOptions options, const Clock& clock, security::RandomSource& random);

  // Blocks for at most total_timeout. TLS certificates and host names are always verified.
  void send(const domain::EmailMessage& message) override;
  // "smtp://host:port": where mail goes, without credentials, for the start-up log line.
  const std::string& server() const noexcept { return endpoint_.display; }

 private:
  SmtpEndpoint endpoint_;
  MessageComposer composer_;
  std::chrono::milliseconds connect_timeout_;
  std::chrono::milliseconds total_timeout_;
};

}  // namespace mercato::mail
