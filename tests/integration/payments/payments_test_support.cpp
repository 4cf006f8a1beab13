#include "integration/payments/payments_test_support.hpp"

#include "clients/stripe/form_encoding.hpp"

namespace mercato::testing::payments {

app::Config PaymentsTest::payment_config() { return accounts_config(); }

void PaymentsTest::SetUp() {
  OrdersTest::SetUp();
  if (IsSkipped() || HasFatalFailure()) return;
  emulator_log_ = std::make_unique<observability::Logger>(emulator_log_text_, observability::LogLevel::debug,
                                                          system_clock_);
  workers_ = std::make_unique<WorkerPool>(2, 64);
  http::ServerOptions options;
  options.address = "127.0.0.1";
  options.port = 0;
  server_ = std::make_unique<http::Server>(
      options,
      [this](http::Request& r) {
        if (gateway_failures_.fetch_sub(1) > 0)
          return http::Response{500, {}, R"({"error":{"type":"api_error","message":"down for the test"}})"};
        gateway_failures_.store(std::max(0, gateway_failures_.load()));
        return emulator_->handle(r);
      },
      *workers_, *emulator_log_);
  server_->start();
  auto config = payment_config();
  config.stripe_api_base = emulator_url();
  app_ = std::make_unique<AppHarness>(database(), config);
  app_raw_ = app_.get();
  relay_ = std::make_unique<WebhookRelay>(app_raw_);
  stripe_emulator::EmulatorOptions emulator_options;
  emulator_options.webhook_url = "http://mercato.test/api/payments/webhook";
  emulator_options.webhook_secret = std::string(webhook_secret);
  emulator_options.retry_delays = {std::chrono::milliseconds{0}};
  emulator_options.deliver_in_background = false;
  emulator_ = std::make_unique<stripe_emulator::StripeEmulator>(emulator_options, *relay_, app_->clock(), random_,
                                                                *emulator_log_);
  w = make_world(*app_);
}

void PaymentsTest::TearDown() {
  if (server_) server_->stop();
  server_.reset();
  if (workers_) workers_->stop();
  emulator_.reset();
  app_.reset();
  OrdersTest::TearDown();
}

clients::HttpReply PaymentsTest::stripe(const std::string& method, const std::string& path, const std::string& form) {
  clients::HttpCall call;
  call.method = method;
  call.url = emulator_url() + path;
  call.headers = {{"Authorization", "Bearer " + std::string(secret_key)}};
  if (method == "POST") {
    call.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
    call.body = form;
  }
  return curl_.send(call);
}

clients::HttpReply PaymentsTest::confirm(const std::string& client_secret, const std::string& payment_method) {
  return stripe("POST", "/v1/payment_intents/" + intent_of(client_secret) + "/confirm",
                clients::stripe::form_encode({{"payment_method", payment_method}}));
}

http::Response PaymentsTest::initiate(const std::string& token, const std::string& order_id,
                                      const std::optional<std::string>& key) {
  return accounts::post(*app_, "/api/payments", {{"order_id", order_id}}, order_headers(token, key));
}

http::Response PaymentsTest::refund(const std::string& token, const boost::json::object& body) {
  return accounts::post(*app_, "/api/payments/refund", body, bearer(token));
}

http::Response PaymentsTest::get_payment(const std::string& token, const std::string& id) {
  return app_->call(http::Method::get, "/api/payments/" + id, {}, bearer(token));
}

PaymentsTest::Paid PaymentsTest::paid_order(std::int64_t quantity) {
  Paid paid;
  paid.order_id = placed_order_id(*app_, w.alice.access_token, {{w.lamp, quantity}});
  paid.total = lamp_price * quantity;
  auto r = initiate(w.alice.access_token, paid.order_id);
  if (r.status != 201) {
    ADD_FAILURE() << "initiate: " << r.status << " " << r.body;
    return paid;
  }
  paid.payment_id = str(body_of(r).at("id"));
  auto confirmed = confirm(client_secret_of(r));
  if (confirmed.status != 200) ADD_FAILURE() << "confirm: " << confirmed.status << " " << confirmed.body;
  deliver_webhooks();
  return paid;
}

void PaymentsTest::deliver_order(const std::string& order_id) {
  for (const auto* status : {"shipped", "delivered"}) {
    auto r = set_status(*app_, w.admin.access_token, order_id, status);
    if (r.status != 200) ADD_FAILURE() << "to " << status << ": " << r.status << " " << r.body;
  }
}

}  // namespace mercato::testing::payments
