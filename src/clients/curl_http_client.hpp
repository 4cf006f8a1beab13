#pragma once
// HttpClient over libcurl: one easy handle per call (thread-safe without shared state),
// TLS verification on, redirects not followed, and a cap on the answer's size.

#include "clients/http_client.hpp"

namespace mercato::clients {

class CurlHttpClient final : public HttpClient {
 public:
  explicit CurlHttpClient(std::size_t max_reply_bytes = 1024 * 1024);
  HttpReply send(const HttpCall& call) override;

 private:
  std::size_t max_reply_bytes_;
};

}  // namespace mercato::clients
