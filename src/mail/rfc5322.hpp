#pragma once
// Composes an outgoing email as RFC 5322 / MIME text: Date, From, To, Subject,
// Message-ID, MIME headers and a text/plain UTF-8 body, with CRLF line endings.
// Header values with a line break are refused (header injection), as are malformed addresses.

#include <chrono>
#include <string>
#include <string_view>

#include "core/clock.hpp"
#include "domain/mail/mail_queue.hpp"
#include "security/random.hpp"

namespace mercato::mail {

struct Mailbox {
  std::string display_name;  // may be empty
  std::string address;       // local@domain
};

// Parses "Display Name <local@domain>" or a bare "local@domain". Throws
// std::invalid_argument naming `field` (never echoing the value) when it is malformed.
Mailbox parse_mailbox(std::string_view text, std::string_view field = "address");

// "Wed, 25 Nov 2026 23:24:30 +0000" (RFC 5322 §3.3).
std::string rfc5322_date(std::chrono::system_clock::time_point t);

struct ComposedMessage {
  std::string id;    // random hex; the local part of the Message-ID, usable in file names
  std::string text;  // the whole message, headers and body, CRLF line endings
};

class MessageComposer {
 public:
  // `from` is MAIL_FROM ("Mercato <no-reply@example.com>"). Throws std::invalid_argument
  // when it is malformed. clock and random must outlive the composer; random must be
  // thread-safe if the composer is shared.
  MessageComposer(std::string_view from, const Clock& clock, security::RandomSource& random);

  // Throws std::invalid_argument for a line break in To or Subject or a malformed To.
  ComposedMessage compose(const domain::EmailMessage& message) const;
  // The bare From address, for the SMTP envelope (MAIL FROM).
  const std::string& sender_address() const noexcept { return sender_.address; }

 private:
  Mailbox sender_;
  std::string from_header_;
  const Clock& clock_;
  security::RandomSource& random_;
};

}  // namespace mercato::mail
