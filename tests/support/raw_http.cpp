#include "support/raw_http.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace mercato::testing {

namespace {

class Socket {
 public:
  Socket() : fd_(socket(AF_INET, SOCK_STREAM, 0)) {}
  ~Socket() {
    if (fd_ >= 0) close(fd_);
  }
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  int fd() const { return fd_; }

 private:
  int fd_;
};

}  // namespace

std::optional<RawResponse> http_get(std::uint16_t port, const std::string& path) {
  Socket s;
  timeval timeout{10, 0};
  setsockopt(s.fd(), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(s.fd(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) return std::nullopt;
  std::string request = "GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
  if (send(s.fd(), request.data(), request.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(request.size()))
    return std::nullopt;
  std::string raw;
  char buf[4096];
  for (ssize_t n; (n = recv(s.fd(), buf, sizeof buf, 0)) > 0;) raw.append(buf, static_cast<std::size_t>(n));
  auto split = raw.find("\r\n\r\n");
  if (raw.size() < 12 || split == std::string::npos) return std::nullopt;
  return RawResponse{std::stoi(raw.substr(9, 3)), raw.substr(0, split), raw.substr(split + 4)};
}

}  // namespace mercato::testing
