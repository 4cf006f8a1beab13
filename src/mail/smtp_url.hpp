#pragma once
// SMTP_URL, parsed once at start-up into what libcurl needs and a form safe to log.
//
//   smtps://user:pass@host:465          implicit TLS (the connection starts with TLS)
//   smtp://host:25                      STARTTLS when the server offers it, else plain
//   smtp://user:pass@host:587           STARTTLS required: credentials never go out in clear,
//                                       so stripping STARTTLS (a downgrade) fails the send
//   smtp://...?starttls=required|try    overrides the default above; "try" with credentials
//                                       is for a trusted local relay only
// A path ("smtp://host/client.example") is the EHLO name libcurl sends. User and password
// are percent-decoded by libcurl (write "@" in a password as %40).

#include <string>
#include <string_view>

namespace mercato::mail {

enum class SmtpTls {
  implicit,       // smtps://
  required,       // STARTTLS or fail (CURLUSESSL_ALL)
  opportunistic,  // STARTTLS when offered (CURLUSESSL_TRY)
};

struct SmtpEndpoint {
  std::string curl_url;  // with credentials: never log it
  std::string display;   // scheme://host:port, nothing else: for logs
  SmtpTls tls = SmtpTls::opportunistic;
  bool has_credentials = false;
};

// Throws std::invalid_argument for a malformed URL, another scheme, a missing host or an
// unknown query parameter. The message never repeats the URL (it may hold a password).
SmtpEndpoint parse_smtp_url(std::string_view url);

}  // namespace mercato::mail
