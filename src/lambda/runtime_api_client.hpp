#pragma once
// The AWS Lambda Runtime API (2018-06-01) over one kept-alive HTTP/1.1 connection to
// AWS_LAMBDA_RUNTIME_API: fetch the next invocation, post its response or error, or report
// an initialisation error. Beast stays behind the pimpl.

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>

namespace mercato::lambda {

struct Invocation {
  std::string request_id;    // Lambda-Runtime-Aws-Request-Id
  std::string trace_id;      // Lambda-Runtime-Trace-Id (X-Ray: "Root=...;Parent=...;Sampled=...")
  std::string function_arn;  // Lambda-Runtime-Invoked-Function-Arn (with the alias when invoked through one)
  std::int64_t deadline_ms = 0;  // Lambda-Runtime-Deadline-Ms, Unix milliseconds
  std::string event;         // the payload, JSON
};

// What Lambda records for a failed invocation or start (errorType, errorMessage).
struct FunctionError {
  std::string type;     // e.g. "Runtime.MalformedEvent"
  std::string message;  // never a secret, never a stack
};

// The Runtime API could not be reached or answered out of protocol: the process should
// exit and let Lambda start a new one.
class RuntimeApiError : public std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The response was refused (e.g. 413: larger than Lambda's 6 MB limit); the invocation
// is still open, so an error can be posted instead.
class ResponseRejected : public std::runtime_error {
  using std::runtime_error::runtime_error;
};

class RuntimeApiClient {
 public:
  // `endpoint` is "host:port" as in AWS_LAMBDA_RUNTIME_API. Connects lazily.
  explicit RuntimeApiClient(std::string endpoint);
  ~RuntimeApiClient();
  RuntimeApiClient(const RuntimeApiClient&) = delete;
  RuntimeApiClient& operator=(const RuntimeApiClient&) = delete;

  // Blocks until Lambda hands over an invocation (the process is frozen meanwhile).
  Invocation next();
  void respond(const std::string& request_id, const std::string& body);
  void fail(const std::string& request_id, const FunctionError& error);
  void fail_init(const FunctionError& error);

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace mercato::lambda
