#include "lambda/runtime_api_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <charconv>
#include <limits>
#include <optional>

namespace mercato::lambda {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;

constexpr std::string_view api_version = "/2018-06-01";

struct Endpoint {
  std::string host;
  std::string port;
};

Endpoint split_endpoint(const std::string& endpoint) {
  auto colon = endpoint.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == endpoint.size())
    throw RuntimeApiError("AWS_LAMBDA_RUNTIME_API must be host:port, not '" + endpoint + "'");
  return {endpoint.substr(0, colon), endpoint.substr(colon + 1)};
}

std::string header_or_empty(const bhttp::response<bhttp::string_body>& response, std::string_view name) {
  auto it = response.find(name);
  return it == response.end() ? std::string{} : std::string(it->value());
}

std::int64_t parse_deadline(const std::string& text) {
  std::int64_t value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

// The id goes into a URL path: anything but Lambda's own alphabet is a protocol fault.
bool is_safe_request_id(std::string_view id) {
  return !id.empty() && id.size() <= 128 && std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  });
}

std::string error_body(const FunctionError& error) {
  return boost::json::serialize(boost::json::object{
      {"errorType", error.type}, {"errorMessage", error.message}, {"stackTrace", boost::json::array{}}});
}

}  // namespace

class RuntimeApiClient::Impl {
 public:
  explicit Impl(std::string endpoint) : endpoint_(split_endpoint(endpoint)), host_header_(std::move(endpoint)) {}

  bhttp::response<bhttp::string_body> exchange(bhttp::verb verb, std::string target, std::string body,
                                               std::optional<std::string> error_type = std::nullopt) {
    bhttp::request<bhttp::string_body> request{verb, target, 11};
    request.set(bhttp::field::host, host_header_);
    request.set(bhttp::field::user_agent, "mercato/" MERCATO_VERSION);
    if (error_type) request.set("Lambda-Runtime-Function-Error-Type", *error_type);
    if (verb == bhttp::verb::post) request.set(bhttp::field::content_type, "application/json");
    request.body() = std::move(body);
    request.prepare_payload();
    // A kept-alive connection may have been closed while the process was frozen: one
    // reconnect, then give up.
    for (int attempt = 0;; ++attempt) {
      try {
        ensure_connected();
        bhttp::write(socket_, request);
        bhttp::response<bhttp::string_body> response;
        bhttp::response_parser<bhttp::string_body> parser;
        parser.body_limit(std::numeric_limits<std::uint64_t>::max());
        bhttp::read(socket_, buffer_, parser);
        response = parser.release();
        if (!response.keep_alive()) close();
        return response;
      } catch (const boost::system::system_error& e) {
        close();
        if (attempt == 1) throw RuntimeApiError(std::string("the Runtime API did not answer: ") + e.what());
      }
    }
  }

 private:
  void ensure_connected() {
    if (socket_.is_open()) return;
    tcp::resolver resolver(io_);
    asio::connect(socket_, resolver.resolve(endpoint_.host, endpoint_.port));
    socket_.set_option(tcp::no_delay(true));
  }

  void close() {
    boost::system::error_code ignored;
    socket_.close(ignored);
    buffer_.clear();
  }

  Endpoint endpoint_;
  std::string host_header_;
  asio::io_context io_;
  tcp::socket socket_{io_};
  beast::flat_buffer buffer_;
};

RuntimeApiClient::RuntimeApiClient(std::string endpoint) : impl_(std::make_unique<Impl>(std::move(endpoint))) {}
RuntimeApiClient::~RuntimeApiClient() = default;

Invocation RuntimeApiClient::next() {
  auto response = impl_->exchange(bhttp::verb::get, std::string(api_version) + "/runtime/invocation/next", {});
  if (response.result() != bhttp::status::ok)
    throw RuntimeApiError("the Runtime API answered " + std::to_string(response.result_int()) + " to next");
  Invocation invocation;
  invocation.request_id = header_or_empty(response, "Lambda-Runtime-Aws-Request-Id");
  if (!is_safe_request_id(invocation.request_id))
    throw RuntimeApiError("an invocation came without a usable Lambda-Runtime-Aws-Request-Id");
  invocation.trace_id = header_or_empty(response, "Lambda-Runtime-Trace-Id");
  invocation.function_arn = header_or_empty(response, "Lambda-Runtime-Invoked-Function-Arn");
  invocation.deadline_ms = parse_deadline(header_or_empty(response, "Lambda-Runtime-Deadline-Ms"));
  invocation.event = std::move(response.body());
  return invocation;
}

void RuntimeApiClient::respond(const std::string& request_id, const std::string& body) {
  auto response = impl_->exchange(bhttp::verb::post,
                                   std::string(api_version) + "/runtime/invocation/" + request_id + "/response", body);
  if (response.result() == bhttp::status::payload_too_large)
    throw ResponseRejected("the response is larger than Lambda accepts");
  if (response.result_int() != 202)
    throw RuntimeApiError("the Runtime API answered " + std::to_string(response.result_int()) + " to a response");
}

void RuntimeApiClient::fail(const std::string& request_id, const FunctionError& error) {
  auto response = impl_->exchange(bhttp::verb::post,
                                  std::string(api_version) + "/runtime/invocation/" + request_id + "/error",
                                  error_body(error), error.type);
  if (response.result_int() != 202)
    throw RuntimeApiError("the Runtime API answered " + std::to_string(response.result_int()) + " to an error");
}

void RuntimeApiClient::fail_init(const FunctionError& error) {
  auto response =
      impl_->exchange(bhttp::verb::post, std::string(api_version) + "/runtime/init/error", error_body(error), error.type);
  if (response.result_int() != 202)
    throw RuntimeApiError("the Runtime API answered " + std::to_string(response.result_int()) + " to an init error");
}

}  // namespace mercato::lambda
