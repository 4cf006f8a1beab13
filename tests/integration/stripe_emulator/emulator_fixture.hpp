#pragma once
// The emulator behind a real http::Server on 127.0.0.1, port 0, called with CurlHttpClient as
// Stripe's libraries would call it. Time is a FixedClock; webhooks go to a recording fake
// unless a test brings its own client, and are delivered when the test calls deliver_due().

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <deque>
#include <memory>
#include <mutex>
#include <regex>
#include <sstream>
#include <string>

#include "clients/curl_http_client.hpp"
#include "core/worker_pool.hpp"
#include "http/server/server.hpp"
#include "observability/logger.hpp"
#include "security/random.hpp"
#include "stripe_emulator/stripe_emulator.hpp"
#include "support/fixed_clock.hpp"

namespace mercato::test {

inline constexpr std::string_view test_key = "sk_test_emulator_fixture_4242";
inline constexpr std::string_view webhook_secret = "whsec_fixture_secret";

// Records every webhook call and answers from a script (an HTTP status, or -1 for "no
// answer"), then 200.
class RecordingWebhookClient final : public clients::HttpClient {
 public:
  clients::HttpReply send(const clients::HttpCall& call) override {
    std::lock_guard lock(mutex_);
    calls_.push_back(call);
    int status = 200;
    if (!script_.empty()) {
      status = script_.front();
      script_.pop_front();
    }
    if (status < 0) throw clients::HttpTransportError("http: Couldn't connect to server");
    return clients::HttpReply{status, {}, "{}"};
  }
  void script(std::initializer_list<int> statuses) {
    std::lock_guard lock(mutex_);
    script_.insert(script_.end(), statuses);
  }
  std::vector<clients::HttpCall> calls() const {
    std::lock_guard lock(mutex_);
    return calls_;
  }
  // The `type` of every event posted, in order.
  std::vector<std::string> types() const {
    std::vector<std::string> out;
    for (const auto& call : calls())
      out.emplace_back(boost::json::parse(call.body).at("type").as_string());
    return out;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<clients::HttpCall> calls_;
  std::deque<int> script_;
};

// A JSON string value as text, for comparisons with std::string.
inline std::string str(const boost::json::value& value) {
  return value.is_string() ? std::string(value.as_string()) : "<not a string: " + boost::json::serialize(value) + ">";
}

struct StripeReply {
  long status = 0;
  clients::HttpReply raw;
  boost::json::object json;

  std::string header(std::string_view name) const { return raw.header(name).value_or(""); }
  // json.error.<field> as text ("" when absent or not a string).
  std::string error(std::string_view field) const {
    const auto* error = json.if_contains("error");
    if (!error) return "";
    const auto* value = error->as_object().if_contains(field);
    return value && value->is_string() ? std::string(value->as_string()) : "";
  }
  std::string text(std::string_view field) const {
    const auto* value = json.if_contains(field);
    return value && value->is_string() ? std::string(value->as_string()) : "";
  }
};

class StripeEmulatorFixture : public ::testing::Test {
 protected:
  void SetUp() override { start_emulator(); }

  void TearDown() override {
    server_.reset();
    workers_.reset();
    emulator_.reset();
  }

  virtual stripe_emulator::EmulatorOptions options() {
    stripe_emulator::EmulatorOptions options;
    options.webhook_url = "http://webhooks.example.test/stripe";
    options.webhook_secret = std::string(webhook_secret);
    options.retry_delays = {std::chrono::seconds{1}, std::chrono::seconds{2}};
    options.deliver_in_background = false;
    return options;
  }
  virtual clients::HttpClient& webhook_client() { return webhooks_; }

  void start_emulator() {
    emulator_ = std::make_unique<stripe_emulator::StripeEmulator>(options(), webhook_client(), clock_, random_, log_);
    emulator_->start();
    workers_ = std::make_unique<WorkerPool>(4, 64);
    http::ServerOptions server_options;
    server_options.address = "127.0.0.1";
    server_options.port = 0;
    server_options.io_threads = 2;
    server_ = std::make_unique<http::Server>(
        server_options, [this](http::Request& r) { return emulator_->handle(r); }, *workers_, server_log_);
    server_->start();
  }

  std::string url(std::string_view path) const {
    return "http://127.0.0.1:" + std::to_string(server_->port()) + std::string(path);
  }

  // A call as Stripe's libraries make it: Bearer key, form body on POST.
  StripeReply call(std::string method, std::string_view path, std::string body = {},
                   clients::HeaderList headers = {}, std::optional<std::string_view> key = test_key) {
    clients::HttpCall request;
    request.method = std::move(method);
    request.url = url(path);
    request.body = std::move(body);
    if (key) request.headers.emplace_back("Authorization", "Bearer " + std::string(*key));
    bool typed = std::any_of(headers.begin(), headers.end(), [](const auto& h) { return h.first == "Content-Type"; });
    if (request.method == "POST" && !typed)
      request.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
    for (auto& header : headers) request.headers.push_back(std::move(header));
    StripeReply reply;
    reply.raw = client_.send(request);
    reply.status = reply.raw.status;
    auto parsed = boost::json::parse(reply.raw.body);
    if (parsed.is_object()) reply.json = parsed.as_object();
    return reply;
  }
  StripeReply post(std::string_view path, std::string body = {}, clients::HeaderList headers = {}) {
    return call("POST", path, std::move(body), std::move(headers));
  }
  StripeReply get(std::string_view path) { return call("GET", path); }

  // A new intent for `amount` usd; the test fails if it is refused.
  std::string create_intent(std::int64_t amount = 1000, std::string extra = {}) {
    auto reply = post("/v1/payment_intents", "amount=" + std::to_string(amount) + "&currency=usd" + extra);
    EXPECT_EQ(reply.status, 200) << reply.raw.body;
    return reply.text("id");
  }
  // A succeeded intent paid with `method`; returns its id.
  std::string paid_intent(std::int64_t amount = 1000, std::string_view method = "pm_card_visa") {
    auto id = create_intent(amount);
    auto reply = post("/v1/payment_intents/" + id + "/confirm", "payment_method=" + std::string(method));
    EXPECT_EQ(reply.status, 200) << reply.raw.body;
    return id;
  }

  std::int64_t now_seconds() const {
    return std::chrono::duration_cast<std::chrono::seconds>(clock_.now().time_since_epoch()).count();
  }

  static bool matches(const std::string& text, const std::string& pattern) {
    return std::regex_match(text, std::regex(pattern));
  }

  testing::FixedClock clock_;
  SystemClock server_clock_;
  security::SystemRandom random_;
  std::ostringstream log_text_;
  observability::Logger log_{log_text_, observability::LogLevel::debug, clock_};
  std::ostringstream server_log_text_;
  observability::Logger server_log_{server_log_text_, observability::LogLevel::debug, server_clock_};
  RecordingWebhookClient webhooks_;
  clients::CurlHttpClient client_;
  std::unique_ptr<stripe_emulator::StripeEmulator> emulator_;
  std::unique_ptr<WorkerPool> workers_;
  std::unique_ptr<http::Server> server_;
};

}  // namespace mercato::test
