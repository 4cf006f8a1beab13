#include "integration/mail/smtp_sink.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace mercato::testing {

namespace {

// A socket bound to 127.0.0.1 on a port the kernel picks; returns {fd, port}.
std::pair<int, std::uint16_t> bind_loopback() {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw std::runtime_error("socket failed");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    ::close(fd);
    throw std::runtime_error("bind failed");
  }
  return {fd, ntohs(address.sin_port)};
}

bool accepts_connections(std::uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(port);
  bool ok = fd >= 0 && ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  if (fd >= 0) ::close(fd);
  return ok;
}

}  // namespace

SmtpSink::SmtpSink(std::filesystem::path maildir) : maildir_(std::move(maildir)) {
  std::string last_error;
  for (int attempt = 0; attempt < 3; ++attempt) {  // the free port may be taken before aiosmtpd binds it
    auto [fd, port] = bind_loopback();
    ::close(fd);
    // /usr/bin/python3 explicitly: Debian's python3-aiosmtpd is not in other interpreters.
    server_ = std::make_unique<ChildProcess>(
        std::vector<std::string>{"/usr/bin/python3", "-m", "aiosmtpd", "-n", "-l", "127.0.0.1:" + std::to_string(port),
                                 "-c", "aiosmtpd.handlers.Mailbox", maildir_.string()},
        std::map<std::string, std::string>{});
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds{15};
    while (std::chrono::steady_clock::now() < deadline) {
      if (accepts_connections(port)) {
        port_ = port;
        return;
      }
      // Doubles as the pause between probes, and notices a server that exited.
      if (server_->wait(std::chrono::milliseconds{50})) break;
    }
    last_error = server_->err();
    server_.reset();
  }
  throw std::runtime_error("aiosmtpd did not start: " + last_error);
}

std::vector<std::string> SmtpSink::messages() const {
  std::vector<std::filesystem::path> files;
  if (std::filesystem::exists(maildir_ / "new"))
    for (const auto& entry : std::filesystem::directory_iterator(maildir_ / "new")) files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  std::vector<std::string> out;
  for (const auto& file : files) {
    std::ifstream in(file, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    out.push_back(text.str());
  }
  return out;
}

ClosedPort::ClosedPort() { std::tie(fd_, port_) = bind_loopback(); }

ClosedPort::~ClosedPort() { ::close(fd_); }

}  // namespace mercato::testing
