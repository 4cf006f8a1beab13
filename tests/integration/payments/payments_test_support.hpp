#pragma once
// The payments API against the Stripe emulator: the application in process (AppHarness),
// talking to the emulator over a real socket through the production Stripe client, and the
// emulator's webhooks handed to the application's webhook route. Both share the harness
// clock, so signatures are as fresh as the tests make them.

#include <gtest/gtest.h>

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "clients/curl_http_client.hpp"
#include "clients/stripe/webhook_signature.hpp"
#include "core/worker_pool.hpp"
#include "http/server/server.hpp"
#include "integration/orders/orders_test_support.hpp"
#include "stripe_emulator/stripe_emulator.hpp"

namespace mercato::testing::payments {

using namespace mercato::testing::orders;

inline constexpr std::string_view secret_key = "sk_test_mercato_development";
inline constexpr std::string_view webhook_secret = "whsec_mercato_development";

// What the emulator posts as a webhook, handed to the application's route; or, while held,
// kept for the test to deliver in any order (and any number of times).
class WebhookRelay final : public clients::HttpClient {
 public:
  explicit WebhookRelay(AppHarness*& app) : app_(app) {}

  clients::HttpReply send(const clients::HttpCall& call) override {
    std::lock_guard lock(mutex_);
    captured_.push_back(call);
    if (hold_) return {200, {}, "{}"};
    auto r = deliver_locked(call);
    return {r.status, {}, r.body};
  }

  void hold(bool on) {
    std::lock_guard lock(mutex_);
    hold_ = on;
  }
  std::vector<clients::HttpCall> captured() {
    std::lock_guard lock(mutex_);
    return captured_;
  }
  // The event type of a captured delivery.
  static std::string type_of(const clients::HttpCall& call) {
    return std::string(boost::json::parse(call.body).at("type").as_string());
  }
  // Posts a captured delivery again, re-signed at the harness's time (as Stripe signs each attempt).
  http::Response deliver(const clients::HttpCall& call) {
    std::lock_guard lock(mutex_);
    return deliver_locked(call);
  }

 private:
  http::Response deliver_locked(const clients::HttpCall& call) {
    http::Headers headers;
    for (const auto& [name, value] : call.headers)
      if (!http::iequals(name, "Stripe-Signature")) headers.add(name, value);
    auto seconds = std::chrono::duration_cast<std::chrono::seconds>(app_->clock().now().time_since_epoch()).count();
    headers.set("Stripe-Signature", clients::stripe::sign_webhook(webhook_secret, seconds, call.body));
    return app_->call(http::Method::post, "/api/payments/webhook", call.body, std::move(headers));
  }

  AppHarness*& app_;
  std::mutex mutex_;
  bool hold_ = false;
  std::vector<clients::HttpCall> captured_;
};

class PaymentsTest : public OrdersTest {
 protected:
  void SetUp() override;
  void TearDown() override;

  AppHarness& app() { return *app_; }
  stripe_emulator::StripeEmulator& emulator() { return *emulator_; }
  WebhookRelay& webhooks() { return *relay_; }
  std::string emulator_url() const { return "http://127.0.0.1:" + std::to_string(server_->port()); }

  // A call to the emulator as Stripe.js or a Stripe library would make it.
  clients::HttpReply stripe(const std::string& method, const std::string& path, const std::string& form = {});
  // Stripe.js's part: confirms the intent behind a client secret with a test payment method.
  clients::HttpReply confirm(const std::string& client_secret, const std::string& payment_method = "pm_card_visa");
  // Delivers every webhook due now; how many.
  std::size_t deliver_webhooks() { return emulator_->deliver_due(); }

  http::Response initiate(const std::string& token, const std::string& order_id,
                          const std::optional<std::string>& key = std::nullopt);
  http::Response refund(const std::string& token, const boost::json::object& body);
  http::Response get_payment(const std::string& token, const std::string& id);
  // An order of `quantity` lamps by alice, paid with a visa card and the webhooks delivered.
  struct Paid {
    std::string order_id;
    std::string payment_id;
    std::int64_t total = 0;
  };
  Paid paid_order(std::int64_t quantity = 2);
  // Moves a paid order to delivered as the admin.
  void deliver_order(const std::string& order_id);
  std::int64_t rows(const std::string& sql, std::initializer_list<db::Param> params = {}) {
    return count_of(database(), sql, params);
  }

  virtual app::Config payment_config();
  // The next `n` calls to the emulator answer 500 without reaching it (Stripe down).
  void fail_gateway_calls(int n) { gateway_failures_ = n; }

  World w;
  std::ostringstream emulator_log_text_;

 private:
  std::atomic<int> gateway_failures_{0};
  SystemClock system_clock_;
  security::SystemRandom random_;
  std::unique_ptr<observability::Logger> emulator_log_;
  std::unique_ptr<WorkerPool> workers_;
  std::unique_ptr<stripe_emulator::StripeEmulator> emulator_;
  std::unique_ptr<http::Server> server_;
  AppHarness* app_raw_ = nullptr;
  std::unique_ptr<WebhookRelay> relay_;
  std::unique_ptr<AppHarness> app_;
  clients::CurlHttpClient curl_;
};

inline std::string client_secret_of(const http::Response& r) { return str(body_of(r).at("client_secret")); }
inline std::string intent_of(const std::string& client_secret) {
  return client_secret.substr(0, client_secret.find("_secret_"));
}

}  // namespace mercato::testing::payments

#define MERCATO_PAYMENTS_BACKENDS(Suite) MERCATO_ACCOUNTS_BACKENDS(Suite)
