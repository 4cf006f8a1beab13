#include "support/sse_client.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>

#include "http/headers.hpp"

namespace mercato::test {

namespace {

using Clock = std::chrono::steady_clock;

std::string trim(std::string_view text) {
  auto begin = text.find_first_not_of(" \t");
  if (begin == text.npos) return {};
  auto end = text.find_last_not_of(" \t");
  return std::string(text.substr(begin, end - begin + 1));
}

}  // namespace

SseClient::SseClient(std::uint16_t port, int receive_buffer) {
  fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd_ < 0) return;
  if (receive_buffer > 0) ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &receive_buffer, sizeof receive_buffer);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd_);
    fd_ = -1;
  }
}

SseClient::~SseClient() { close(); }

void SseClient::close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

bool SseClient::send(std::string_view bytes) {
  while (!bytes.empty()) {
    auto sent = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (sent < 0 && errno == EINTR) continue;
    if (sent <= 0) return false;
    bytes.remove_prefix(static_cast<std::size_t>(sent));
  }
  return true;
}

bool SseClient::get(std::string_view target, std::string_view extra_headers) {
  return send("GET " + std::string(target) + " HTTP/1.1\r\nHost: localhost\r\n" + std::string(extra_headers) + "\r\n");
}

SseClient::Fill SseClient::fill(Clock::time_point deadline) {
  if (fd_ < 0 || eof_) return Fill::eof;
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) return Fill::timeout;
    pollfd p{fd_, POLLIN, 0};
    int ready = ::poll(&p, 1, static_cast<int>(left));
    if (ready < 0 && errno == EINTR) continue;
    if (ready == 0) return Fill::timeout;
    char chunk[16384];
    auto got = ::recv(fd_, chunk, sizeof chunk, 0);
    if (got < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (got <= 0) {  // orderly close, or reset
      eof_ = true;
      return Fill::eof;
    }
    buffer_.append(chunk, static_cast<std::size_t>(got));
    return Fill::more;
  }
}

std::optional<RawResponse> SseClient::read_header(std::chrono::milliseconds timeout) {
  auto deadline = Clock::now() + timeout;
  std::size_t end;
  while ((end = buffer_.find("\r\n\r\n")) == std::string::npos)
    if (fill(deadline) != Fill::more) return std::nullopt;
  std::string_view head(buffer_.data(), end);
  RawResponse response;
  auto line_end = head.find("\r\n");
  auto status_line = head.substr(0, line_end);
  auto space = status_line.find(' ');
  if (space == std::string_view::npos) return std::nullopt;
  response.status = std::atoi(std::string(status_line.substr(space + 1, 3)).c_str());
  std::size_t at = line_end == std::string_view::npos ? head.size() : line_end + 2;
  while (at < head.size()) {
    auto next = head.find("\r\n", at);
    auto line = head.substr(at, next == std::string_view::npos ? std::string_view::npos : next - at);
    auto colon = line.find(':');
    if (colon != std::string_view::npos)
      response.headers.emplace_back(std::string(line.substr(0, colon)), trim(line.substr(colon + 1)));
    if (next == std::string_view::npos) break;
    at = next + 2;
  }
  buffer_.erase(0, end + 4);
  if (auto length = response.header("Content-Length")) {
    auto size = static_cast<std::size_t>(std::stoull(*length));
    while (buffer_.size() < size)
      if (fill(deadline) != Fill::more) return std::nullopt;
    response.body = buffer_.substr(0, size);
    buffer_.erase(0, size);
  }
  return response;
}

SseClient::Piece SseClient::next_chunk(std::chrono::milliseconds timeout) {
  auto deadline = Clock::now() + timeout;
  auto bad = [this](std::string why) {
    malformed_ = true;
    framing_error_ = std::move(why) + " near: " + buffer_.substr(0, 40);
    return Piece{Kind::malformed, {}};
  };
  if (malformed_) return {Kind::malformed, {}};
  if (last_chunk_) return {Kind::last_chunk, {}};
  for (;;) {
    auto line_end = buffer_.find("\r\n");
    if (line_end != std::string::npos) {
      auto size_text = buffer_.substr(0, line_end);
      if (size_text.empty() || size_text.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos)
        return bad("chunk size line '" + size_text + "'");
      auto size = static_cast<std::size_t>(std::stoull(size_text, nullptr, 16));
      if (size == 0) {
        // The last chunk: no trailers, then the empty line.
        if (buffer_.size() >= line_end + 4) {
          if (buffer_.compare(line_end + 2, 2, "\r\n") != 0) return bad("trailers or garbage after the last chunk");
          buffer_.erase(0, line_end + 4);
          last_chunk_ = true;
          return {Kind::last_chunk, {}};
        }
      } else if (buffer_.size() >= line_end + 2 + size + 2) {
        if (buffer_.compare(line_end + 2 + size, 2, "\r\n") != 0) return bad("chunk data not followed by CRLF");
        std::string data = buffer_.substr(line_end + 2, size);
        buffer_.erase(0, line_end + 2 + size + 2);
        body_ += data;
        chunks_.push_back(data);
        return {Kind::data, std::move(data)};
      }
    } else if (buffer_.size() > 32) {
      return bad("no chunk size line");
    }
    switch (fill(deadline)) {
      case Fill::more: break;
      case Fill::eof:
        if (!buffer_.empty()) return bad("connection closed inside a chunk");
        return {Kind::closed, {}};
      case Fill::timeout: return {Kind::timeout, {}};
    }
  }
}

bool SseClient::read_until(std::string_view needle, std::chrono::milliseconds timeout, std::size_t from) {
  auto deadline = Clock::now() + timeout;
  while (body_.find(needle, std::min(from, body_.size())) == std::string::npos) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) return false;
    if (next_chunk(left).kind != Kind::data) return false;
  }
  return true;
}

bool SseClient::read_raw_until(std::string_view needle, std::chrono::milliseconds timeout) {
  auto deadline = Clock::now() + timeout;
  for (;;) {
    body_ += buffer_;
    buffer_.clear();
    if (body_.find(needle) != std::string::npos) return true;
    if (fill(deadline) != Fill::more) {
      body_ += buffer_;
      buffer_.clear();
      return body_.find(needle) != std::string::npos;
    }
  }
}

bool SseClient::wait_closed(std::chrono::milliseconds timeout) {
  auto deadline = Clock::now() + timeout;
  for (;;) {
    if (!last_chunk_ && !malformed_) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
      if (left.count() <= 0) return false;
      auto piece = next_chunk(left);
      if (piece.kind == Kind::closed) return true;
      if (piece.kind == Kind::timeout) return false;
      continue;
    }
    // After the last chunk (or garbage): anything more is unexpected but drained.
    buffer_.clear();
    auto result = fill(deadline);
    if (result == Fill::eof) return true;
    if (result == Fill::timeout) return false;
    if (last_chunk_ && !buffer_.empty()) {
      malformed_ = true;
      framing_error_ = "bytes after the last chunk: " + buffer_.substr(0, 40);
    }
  }
}

std::vector<SseEvent> parse_sse(std::string_view text) {
  std::vector<SseEvent> out;
  SseEvent current;
  bool any = false;
  std::size_t at = 0;
  while (at < text.size()) {
    // A line ends at CRLF, LF or a lone CR, as EventSource reads it; a CR at the very end may
    // be the first half of a CRLF still to come.
    auto end = text.find_first_of("\r\n", at);
    if (end == std::string_view::npos) break;  // unfinished line
    if (text[end] == '\r' && end + 1 == text.size()) break;
    auto line = text.substr(at, end - at);
    at = end + (text.compare(end, 2, "\r\n") == 0 ? 2 : 1);
    if (line.empty()) {
      if (any) out.push_back(std::move(current));
      current = {};
      any = false;
      continue;
    }
    any = true;
    if (line.front() == ':') {
      current.comments.emplace_back(trim(line.substr(1)));
      continue;
    }
    auto colon = line.find(':');
    auto field = line.substr(0, colon);
    std::string_view value = colon == std::string_view::npos ? std::string_view{} : line.substr(colon + 1);
    if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    if (field == "id") current.id = value;
    else if (field == "event") current.event = value;
    else if (field == "retry") current.retry = value;
    else if (field == "data") {
      if (current.has_data) current.data += '\n';
      current.data += value;
      current.has_data = true;
    }
  }
  return out;
}

std::vector<SseEvent> sse_events(std::string_view text) {
  std::vector<SseEvent> out;
  for (auto& e : parse_sse(text))
    if (!e.event.empty() || e.has_data) out.push_back(std::move(e));
  return out;
}

}  // namespace mercato::test
