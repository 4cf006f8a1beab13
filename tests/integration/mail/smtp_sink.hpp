#pragma once
// A real SMTP server for tests: aiosmtpd (Debian's python3-aiosmtpd) on a free loopback
// port, storing what it receives in a Maildir. Killed when the object goes away.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "support/child_process.hpp"

namespace mercato::testing {

class SmtpSink {
 public:
  // Throws std::runtime_error when the server does not come up within a few seconds.
  explicit SmtpSink(std::filesystem::path maildir);
  std::uint16_t port() const noexcept { return port_; }
  std::string url() const { return "smtp://127.0.0.1:" + std::to_string(port_); }
  // The messages received so far, as stored (LF line endings, X-MailFrom/X-RcptTo added).
  std::vector<std::string> messages() const;

 private:
  std::filesystem::path maildir_;
  std::unique_ptr<ChildProcess> server_;
  std::uint16_t port_ = 0;
};

// A loopback port that refuses connections for as long as the object lives: bound, so no
// one else can take it, but not listening.
class ClosedPort {
 public:
  ClosedPort();
  ClosedPort(const ClosedPort&) = delete;
  ClosedPort& operator=(const ClosedPort&) = delete;
  ~ClosedPort();
  std::uint16_t port() const noexcept { return port_; }

 private:
  int fd_ = -1;
  std::uint16_t port_ = 0;
};

}  // namespace mercato::testing
