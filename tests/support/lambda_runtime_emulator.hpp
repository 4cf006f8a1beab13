#pragma once
// A Lambda Runtime API (2018-06-01) for tests: the real `mercato lambda` binary polls it
// for invocations and posts answers, as it would inside AWS Lambda. Queue an event with
// invoke(), then wait for what the function answered.

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>

#include "core/clock.hpp"
#include "core/worker_pool.hpp"
#include "http/server/server.hpp"
#include "observability/logger.hpp"

namespace mercato::testing {

struct LambdaOutcome {
  enum class Kind { response, error };
  Kind kind = Kind::response;
  std::string body;        // the response payload, or the error document
  std::string error_type;  // Lambda-Runtime-Function-Error-Type of an error
};

class LambdaRuntimeEmulator {
 public:
  // Responses longer than this are refused with 413, as Lambda refuses more than 6 MB.
  explicit LambdaRuntimeEmulator(std::size_t max_response_bytes = 6 * 1024 * 1024);
  ~LambdaRuntimeEmulator();

  // "127.0.0.1:<port>", the value of AWS_LAMBDA_RUNTIME_API.
  std::string endpoint() const;
  // Queues an invocation; returns its request id.
  std::string invoke(std::string event, std::string trace_id = "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1");
  std::optional<LambdaOutcome> wait_for(const std::string& request_id,
                                        std::chrono::milliseconds timeout = std::chrono::seconds{20});
  // invoke() then wait_for(); fails the test on a timeout (empty outcome with kind error).
  LambdaOutcome call(std::string event);
  std::optional<LambdaOutcome> wait_for_init_error(std::chrono::milliseconds timeout = std::chrono::seconds{20});
  // How many times the function asked for its next invocation.
  std::size_t next_requests() const;

 private:
  http::Response handle(http::Request& request);
  http::Response next_invocation();
  http::Response record(const std::string& request_id, LambdaOutcome outcome);

  struct Pending {
    std::string id;
    std::string event;
    std::string trace_id;
  };

  std::size_t max_response_bytes_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Pending> queue_;
  std::map<std::string, LambdaOutcome> outcomes_;
  std::optional<LambdaOutcome> init_error_;
  std::size_t next_requests_ = 0;
  std::size_t sequence_ = 0;
  bool stopping_ = false;
  SystemClock clock_;
  std::ostringstream log_sink_;
  observability::Logger log_{log_sink_, observability::LogLevel::error, clock_};
  WorkerPool workers_{4, 64};
  std::unique_ptr<http::Server> server_;
};

}  // namespace mercato::testing
