#include "support/http_client.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>

#include "http/headers.hpp"

namespace mercato::test {

namespace {

int connect_to(std::uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

std::string trim(std::string_view text) {
  auto begin = text.find_first_not_of(" \t");
  if (begin == text.npos) return {};
  auto end = text.find_last_not_of(" \t");
  return std::string(text.substr(begin, end - begin + 1));
}

}  // namespace

std::optional<std::string> RawResponse::header(std::string_view name) const {
  for (const auto& [key, value] : headers)
    if (http::iequals(key, name)) return value;
  return std::nullopt;
}

std::vector<std::string> RawResponse::header_values(std::string_view name) const {
  std::vector<std::string> values;
  for (const auto& [key, value] : headers)
    if (http::iequals(key, name)) values.push_back(value);
  return values;
}

RawConnection::RawConnection(std::uint16_t port, std::chrono::milliseconds safety_timeout) : fd_(connect_to(port)) {
  if (fd_ < 0) return;
  timeval timeout{};
  timeout.tv_sec = static_cast<time_t>(safety_timeout.count() / 1000);
  timeout.tv_usec = static_cast<suseconds_t>((safety_timeout.count() % 1000) * 1000);
  ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
}

RawConnection::~RawConnection() {
  if (fd_ >= 0) ::close(fd_);
}

bool RawConnection::send(std::string_view bytes) {
  while (!bytes.empty()) {
    auto sent = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (sent < 0 && errno == EINTR) continue;
    if (sent <= 0) return false;
    bytes.remove_prefix(static_cast<std::size_t>(sent));
  }
  return true;
}

void RawConnection::finish_sending() { ::shutdown(fd_, SHUT_WR); }

bool RawConnection::fill() {
  char chunk[4096];
  for (;;) {
    auto received = ::recv(fd_, chunk, sizeof chunk, 0);
    if (received < 0 && errno == EINTR) continue;
    if (received <= 0) return false;
    buffer_.append(chunk, static_cast<std::size_t>(received));
    return true;
  }
}

std::optional<RawResponse> RawConnection::read_response(bool head) {
  std::size_t header_end;
  while ((header_end = buffer_.find("\r\n\r\n")) == std::string::npos)
    if (!fill()) return std::nullopt;
  std::string_view header(buffer_.data(), header_end);
  RawResponse response;
  auto line_end = header.find("\r\n");
  auto status_line = header.substr(0, line_end);
  auto space = status_line.find(' ');
  if (space == status_line.npos) return std::nullopt;
  response.status = std::atoi(std::string(status_line.substr(space + 1, 3)).c_str());
  while (line_end != header.npos) {
    auto start = line_end + 2;
    line_end = header.find("\r\n", start);
    auto line = header.substr(start, line_end == header.npos ? header.npos : line_end - start);
    auto colon = line.find(':');
    if (colon == line.npos) continue;
    response.headers.emplace_back(std::string(line.substr(0, colon)), trim(line.substr(colon + 1)));
  }
  buffer_.erase(0, header_end + 4);
  auto length_text = response.header("Content-Length");
  std::size_t length = head || !length_text ? 0 : std::strtoull(length_text->c_str(), nullptr, 10);
  while (buffer_.size() < length)
    if (!fill()) return std::nullopt;
  response.body = buffer_.substr(0, length);
  buffer_.erase(0, length);
  return response;
}

bool RawConnection::wait_closed() {
  char chunk[4096];
  for (;;) {
    auto received = ::recv(fd_, chunk, sizeof chunk, 0);
    if (received > 0) continue;
    if (received < 0 && errno == EINTR) continue;
    // 0 is an orderly close, ECONNRESET an abrupt one; EAGAIN means the safety timeout hit.
    bool closed = received == 0 || errno == ECONNRESET;
    if (closed) {
      ::close(fd_);  // as a real client would, which ends the server's lingering close
      fd_ = -1;
    }
    return closed;
  }
}

bool RawConnection::can_connect(std::uint16_t port) {
  int fd = connect_to(port);
  if (fd < 0) return false;
  ::close(fd);
  return true;
}

}  // namespace mercato::test
