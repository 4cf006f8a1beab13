#include "lambda/runtime_loop.hpp"

#include <cstdlib>

namespace mercato::lambda {

namespace {

void set_trace_environment(const std::string& trace_id) {
  if (trace_id.empty()) ::unsetenv("_X_AMZN_TRACE_ID");
  else ::setenv("_X_AMZN_TRACE_ID", trace_id.c_str(), 1);
}

void answer(RuntimeApiClient& runtime, LambdaFunction& function, const Invocation& invocation,
            observability::Logger& log) {
  std::string payload;
  try {
    payload = function.invoke(invocation);
  } catch (const InvocationFailed& failed) {
    log.warn("lambda_invocation_failed", {{"aws_request_id", invocation.request_id},
                                          {"error_type", failed.error().type},
                                          {"detail", failed.error().message}});
    return runtime.fail(invocation.request_id, failed.error());
  } catch (const std::exception& e) {
    log.error("lambda_invocation_failed", {{"aws_request_id", invocation.request_id}, {"detail", e.what()}});
    return runtime.fail(invocation.request_id, {"Runtime.UnhandledError", "The function failed; see its log."});
  }
  try {
    runtime.respond(invocation.request_id, payload);
  } catch (const ResponseRejected& e) {
    log.error("lambda_response_rejected", {{"aws_request_id", invocation.request_id},
                                           {"bytes", payload.size()}, {"detail", e.what()}});
    runtime.fail(invocation.request_id, {"Runtime.ResponseTooLarge", e.what()});
  }
}

}  // namespace

int run_runtime_loop(RuntimeApiClient& runtime, LambdaFunction& function, observability::Logger& log) {
  try {
    for (;;) {
      auto invocation = runtime.next();
      set_trace_environment(invocation.trace_id);
      answer(runtime, function, invocation, log);
      function.after_response();
    }
  } catch (const RuntimeApiError& e) {
    log.error("lambda_runtime_api_failed", {{"detail", e.what()}});
    return 1;
  }
}

}  // namespace mercato::lambda
