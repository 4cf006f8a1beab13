#pragma once
// A minimal blocking HTTP/1.1 client over a plain socket, for tests that need the real
// server on the wire: sends one request with Connection: close and reads to EOF.

#include <cstdint>
#include <optional>
#include <string>

namespace mercato::testing {

struct RawResponse {
  int status = 0;
  std::string head;  // status line and headers
  std::string body;
};

// nullopt when nothing could be connected to or nothing came back.
std::optional<RawResponse> http_get(std::uint16_t port, const std::string& path);

}  // namespace mercato::testing
