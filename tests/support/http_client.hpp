#pragma once
// A deliberately dumb HTTP/1.1 client over a blocking POSIX socket, for tests that must send
// bytes no real client would (garbage, half requests, conflicting framing) and watch exactly
// what comes back and when the server closes.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mercato::test {

struct RawResponse {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // in order, repeats kept
  std::string body;

  std::optional<std::string> header(std::string_view name) const;
  std::vector<std::string> header_values(std::string_view name) const;
};

class RawConnection {
 public:
  // Connects to 127.0.0.1:port. Every receive gives up after `safety_timeout` so that a broken
  // server fails the test instead of hanging it.
  explicit RawConnection(std::uint16_t port, std::chrono::milliseconds safety_timeout = std::chrono::seconds(10));
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;
  ~RawConnection();

  bool connected() const noexcept { return fd_ >= 0; }
  bool send(std::string_view bytes);
  // Half-closes the sending side: the server sees end of stream.
  void finish_sending();
  // Reads the next response (1xx included); the body is framed by Content-Length only (the
  // server never chunks). `head` skips the body. nullopt when the connection ends first.
  std::optional<RawResponse> read_response(bool head = false);
  // Discards whatever still arrives until the server closes (true, and the socket is closed
  // here too) or the safety timeout passes (false).
  bool wait_closed();

  // True when a TCP connection to 127.0.0.1:port is accepted by the kernel.
  static bool can_connect(std::uint16_t port);

 private:
  bool fill();  // one recv into buffer_; false on close, error or timeout

  int fd_ = -1;
  std::string buffer_;
};

}  // namespace mercato::test
