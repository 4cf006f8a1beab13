#pragma once
// Outgoing HTTP(S) calls (Stripe, webhook delivery, JWKS) as plain values, so that callers
// can be tested with a fake and only curl_http_client.cpp includes libcurl.

#include <chrono>
#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mercato::clients {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct HttpCall {
  std::string method = "GET";  // GET | POST | DELETE
  std::string url;
  HeaderList headers;
  std::string body;
  std::chrono::milliseconds connect_timeout{5'000};
  std::chrono::milliseconds total_timeout{30'000};
};

struct HttpReply {
  long status = 0;
  HeaderList headers;  // names as received
  std::string body;

  // The first header of that name, compared without regard to case.
  std::optional<std::string> header(std::string_view name) const;
};

// No answer at all: could not connect, timed out, TLS failed, or the answer was too large.
// The call may or may not have reached the server.
class HttpTransportError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class HttpClient {
 public:
  virtual ~HttpClient() = default;
  // Any HTTP status is an answer (no throw); throws HttpTransportError when there is none.
  virtual HttpReply send(const HttpCall& call) = 0;
};

}  // namespace mercato::clients
