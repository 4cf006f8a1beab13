#include "support/lambda_runtime_emulator.hpp"

#include <gtest/gtest.h>

namespace mercato::testing {

namespace {

constexpr std::string_view prefix = "/2018-06-01/runtime/";

http::Response plain(int status, std::string body = {}) {
  http::Response response;
  response.status = status;
  response.headers.set("Content-Type", "application/json");
  response.body = std::move(body);
  return response;
}

// "invocation/<id>/response" → <id>; empty when the path is not of that shape.
std::string invocation_id(std::string_view rest, std::string_view suffix) {
  constexpr std::string_view head = "invocation/";
  if (rest.substr(0, head.size()) != head || rest.size() <= head.size() + suffix.size() ||
      rest.substr(rest.size() - suffix.size()) != suffix)
    return {};
  return std::string(rest.substr(head.size(), rest.size() - head.size() - suffix.size()));
}

}  // namespace

LambdaRuntimeEmulator::LambdaRuntimeEmulator(std::size_t max_response_bytes) : max_response_bytes_(max_response_bytes) {
  http::ServerOptions options;
  options.address = "127.0.0.1";
  options.port = 0;
  options.body_limit = 16 * std::size_t{1024 * 1024};
  options.shutdown_grace = std::chrono::milliseconds{200};
  server_ = std::make_unique<http::Server>(options, [this](http::Request& r) { return handle(r); }, workers_, log_);
  server_->start();
}

LambdaRuntimeEmulator::~LambdaRuntimeEmulator() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  server_->stop();
  server_.reset();
  workers_.stop();
}

std::string LambdaRuntimeEmulator::endpoint() const { return "127.0.0.1:" + std::to_string(server_->port()); }

std::string LambdaRuntimeEmulator::invoke(std::string event, std::string trace_id) {
  std::string id;
  {
    std::lock_guard lock(mutex_);
    id = "8476a536-e9f4-11e8-9739-" + std::to_string(100000000000 + ++sequence_);
    queue_.push_back({id, std::move(event), std::move(trace_id)});
  }
  changed_.notify_all();
  return id;
}

std::optional<LambdaOutcome> LambdaRuntimeEmulator::wait_for(const std::string& request_id,
                                                             std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  if (!changed_.wait_for(lock, timeout, [&] { return outcomes_.contains(request_id); })) return std::nullopt;
  return outcomes_.at(request_id);
}

LambdaOutcome LambdaRuntimeEmulator::call(std::string event) {
  auto outcome = wait_for(invoke(std::move(event)));
  if (!outcome) {
    ADD_FAILURE() << "the function did not answer the invocation in time";
    return {LambdaOutcome::Kind::error, {}, "Test.Timeout"};
  }
  return *outcome;
}

std::optional<LambdaOutcome> LambdaRuntimeEmulator::wait_for_init_error(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  if (!changed_.wait_for(lock, timeout, [&] { return init_error_.has_value(); })) return std::nullopt;
  return init_error_;
}

std::size_t LambdaRuntimeEmulator::next_requests() const {
  std::lock_guard lock(mutex_);
  return next_requests_;
}

http::Response LambdaRuntimeEmulator::handle(http::Request& request) {
  if (request.path.substr(0, prefix.size()) != prefix) return plain(404);
  auto rest = std::string_view{request.path}.substr(prefix.size());
  if (request.method == http::Method::get && rest == "invocation/next") return next_invocation();
  if (request.method != http::Method::post) return plain(405);
  auto error_type = std::string(request.headers.get("Lambda-Runtime-Function-Error-Type").value_or(""));
  if (rest == "init/error") {
    {
      std::lock_guard lock(mutex_);
      init_error_ = LambdaOutcome{LambdaOutcome::Kind::error, request.body, error_type};
    }
    changed_.notify_all();
    return plain(202, R"({"status":"OK"})");
  }
  if (auto id = invocation_id(rest, "/response"); !id.empty()) {
    if (request.body.size() > max_response_bytes_)
      return plain(413, R"({"errorMessage":"Exceeded maximum allowed payload size","errorType":"RequestEntityTooLarge"})");
    return record(id, {LambdaOutcome::Kind::response, request.body, {}});
  }
  if (auto id = invocation_id(rest, "/error"); !id.empty())
    return record(id, {LambdaOutcome::Kind::error, request.body, error_type});
  return plain(404);
}

// Long poll, as Lambda's: the answer comes when there is an invocation.
http::Response LambdaRuntimeEmulator::next_invocation() {
  std::unique_lock lock(mutex_);
  ++next_requests_;
  changed_.notify_all();
  changed_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
  if (stopping_) return plain(500, R"({"errorMessage":"the emulator is stopping"})");
  auto pending = std::move(queue_.front());
  queue_.pop_front();
  auto response = plain(200, std::move(pending.event));
  response.headers.set("Lambda-Runtime-Aws-Request-Id", pending.id);
  response.headers.set("Lambda-Runtime-Deadline-Ms", "4102444800000");
  response.headers.set("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:eu-west-1:123456789012:function:mercato:live");
  response.headers.set("Lambda-Runtime-Trace-Id", pending.trace_id);
  return response;
}

http::Response LambdaRuntimeEmulator::record(const std::string& request_id, LambdaOutcome outcome) {
  {
    std::lock_guard lock(mutex_);
    if (outcomes_.contains(request_id)) return plain(400, R"({"errorType":"InvalidStateTransition"})");
    outcomes_[request_id] = std::move(outcome);
  }
  changed_.notify_all();
  return plain(202, R"({"status":"OK"})");
}

}  // namespace mercato::testing
