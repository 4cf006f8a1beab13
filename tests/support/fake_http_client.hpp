#pragma once
// An HttpClient that answers from memory: a fixed reply (changeable between calls) or a
// transport failure, counting the calls it gets. Thread-safe.

#include <atomic>
#include <mutex>
#include <string>

#include "clients/http_client.hpp"

namespace mercato::testing {

class FakeHttpClient final : public clients::HttpClient {
 public:
  void reply_with(long status, std::string body) {
    std::lock_guard lock(mutex_);
    reply_ = clients::HttpReply{status, {{"Content-Type", "application/json"}}, std::move(body)};
    fail_ = false;
  }
  void fail_transport() {
    std::lock_guard lock(mutex_);
    fail_ = true;
  }
  int calls() const { return calls_.load(); }
  std::string last_url() const {
    std::lock_guard lock(mutex_);
    return last_url_;
  }

  clients::HttpReply send(const clients::HttpCall& call) override {
    ++calls_;
    std::lock_guard lock(mutex_);
    last_url_ = call.url;
    if (fail_) throw clients::HttpTransportError("connection refused (fake)");
    return reply_;
  }

 private:
  mutable std::mutex mutex_;
  clients::HttpReply reply_{503, {}, "{}"};
  bool fail_ = false;
  std::string last_url_;
  std::atomic<int> calls_{0};
};

}  // namespace mercato::testing
