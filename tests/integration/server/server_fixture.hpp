#pragma once
// Runs the real socket server in-process on 127.0.0.1, port 0, with a handler each test sets.

#include <gtest/gtest.h>

#include <condition_variable>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>

#include "core/clock.hpp"
#include "core/worker_pool.hpp"
#include "http/server/server.hpp"
#include "observability/logger.hpp"
#include "support/http_client.hpp"

namespace mercato::test {

// Holds handlers back until the test opens it. A fixture member, opened in TearDown, so that a
// failed assertion never leaves a worker blocked or a handler referring to a dead local.
class Gate {
 public:
  void open() {
    {
      std::lock_guard lock(mutex_);
      open_ = true;
    }
    opened_.notify_all();
  }
  void wait() {
    std::unique_lock lock(mutex_);
    opened_.wait(lock, [this] { return open_; });
  }

 private:
  std::mutex mutex_;
  std::condition_variable opened_;
  bool open_ = false;
};

// Handlers outlive the test body (they run until TearDown), so what they signal through is
// shared, never a reference to a local.
template <class T = void>
using SharedPromise = std::shared_ptr<std::promise<T>>;
template <class T = void>
SharedPromise<T> make_promise() {
  return std::make_shared<std::promise<T>>();
}

class ServerTest : public ::testing::Test {
 public:
  static http::ServerOptions local_options() {
    http::ServerOptions options;
    options.address = "127.0.0.1";
    options.port = 0;
    options.io_threads = 2;
    options.shutdown_grace = std::chrono::seconds(10);
    return options;
  }

 protected:
  void start(http::ServerOptions options = local_options(), std::size_t worker_threads = 2,
             std::size_t queue_capacity = 16) {
    workers_ = std::make_unique<WorkerPool>(worker_threads, queue_capacity);
    server_ = std::make_unique<http::Server>(
        options, [this](http::Request& request) { return handler(request); }, *workers_, log_);
    server_->start();
  }

  void TearDown() override {
    gate_.open();
    server_.reset();  // stops; must go before the pool it submits to
    workers_.reset();
  }

  std::uint16_t port() const { return server_->port(); }

  // The default handler answers 200 with the path as body.
  std::function<http::Response(http::Request&)> handler = [](http::Request& request) {
    return http::Response{200, {}, request.path, false};
  };

  Gate gate_;
  SystemClock clock_;
  std::ostringstream log_text_;
  observability::Logger log_{log_text_, observability::LogLevel::debug, clock_};
  std::unique_ptr<WorkerPool> workers_;
  std::unique_ptr<http::Server> server_;
};

inline std::string get_request(std::string_view path, std::string_view extra_headers = {}) {
  return "GET " + std::string(path) + " HTTP/1.1\r\nHost: localhost\r\n" + std::string(extra_headers) + "\r\n";
}

}  // namespace mercato::test
