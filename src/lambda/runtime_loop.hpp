#pragma once
// The custom-runtime loop: fetch an invocation, hand it to the function, post what it
// answers (or its error), then do the function's after-work before fetching the next,
// because Lambda freezes the process while it waits.

#include <stdexcept>
#include <string>

#include "lambda/runtime_api_client.hpp"
#include "observability/logger.hpp"

namespace mercato::lambda {

// Thrown by a function for an invocation it cannot serve; posted as that invocation's error.
class InvocationFailed : public std::runtime_error {
 public:
  explicit InvocationFailed(FunctionError error) : std::runtime_error(error.message), error_(std::move(error)) {}
  const FunctionError& error() const noexcept { return error_; }

 private:
  FunctionError error_;
};

class LambdaFunction {
 public:
  virtual ~LambdaFunction() = default;
  // The response payload (JSON text). Throws InvocationFailed.
  virtual std::string invoke(const Invocation& invocation) = 0;
  // After the response is posted and before the next invocation is fetched: work that must
  // not delay the answer but must not wait for a frozen process either (queued email).
  virtual void after_response() {}
};

// Serves invocations until the Runtime API fails (returns 1; Lambda then replaces the
// process). Sets _X_AMZN_TRACE_ID per invocation, as the Runtime API contract asks.
int run_runtime_loop(RuntimeApiClient& runtime, LambdaFunction& function, observability::Logger& log);

}  // namespace mercato::lambda
