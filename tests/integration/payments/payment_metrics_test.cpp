// The business counters through the whole application on both backends: an order counts
// once (its idempotent replay not), a webhook that completes or fails a payment counts once
// (duplicates not), a refused webhook counts a failure; with CloudWatch metrics on, each is
// one EMF `metric` line.

#include "integration/payments/payments_test_support.hpp"

#include <sstream>

using namespace mercato;
using namespace mercato::testing::payments;
using observability::BusinessMetric;

namespace {

class PaymentMetricsTest : public PaymentsTest {
 protected:
  app::Config payment_config() override {
    auto config = PaymentsTest::payment_config();
    config.cloudwatch_metrics = true;
    return config;
  }
  std::uint64_t counted(BusinessMetric metric) {
    return app().application().metrics_registry().snapshot().business[static_cast<std::size_t>(metric)];
  }
  // How many EMF lines count `name` (a business metric's CloudWatch name).
  std::size_t metric_lines(const std::string& name) {
    std::size_t n = 0;
    std::istringstream in(app().log_text());
    for (std::string line; std::getline(in, line);) {
      auto entry = boost::json::parse(line).as_object();
      if (entry.at("event") != "metric" || !entry.contains(name)) continue;
      EXPECT_EQ(entry.at(name), 1);
      EXPECT_EQ(entry.at("_aws").at("CloudWatchMetrics").at(0).at("Dimensions"), boost::json::parse("[[]]"));
      ++n;
    }
    return n;
  }
  http::Response post_webhook(const std::string& body, const std::string& signature) {
    http::Headers headers;
    headers.set("Stripe-Signature", signature);
    return app().call(http::Method::post, "/api/payments/webhook", body, std::move(headers));
  }
};

}  // namespace

TEST_P(PaymentMetricsTest, AnOrderCountsOnceAndItsReplayDoesNot) {
  auto first = place_order(app(), w.alice.access_token, {{w.lamp, 1}}, "order-key-1");
  ASSERT_EQ(first.status, 201) << first.body;
  EXPECT_EQ(counted(BusinessMetric::orders_created), 1u);
  auto replay = place_order(app(), w.alice.access_token, {{w.lamp, 1}}, "order-key-1");
  ASSERT_EQ(replay.status, 201) << replay.body;
  EXPECT_EQ(header_of(replay, "Idempotent-Replayed"), "true");
  EXPECT_EQ(counted(BusinessMetric::orders_created), 1u);
  EXPECT_EQ(metric_lines("OrdersCreated"), 1u);
}

TEST_P(PaymentMetricsTest, AnOrderRefusedCountsNothing) {
  auto r = place_order(app(), w.alice.access_token, {{w.lamp, lamp_stock + 1}});
  ASSERT_EQ(r.status, 409) << r.body;
  EXPECT_EQ(counted(BusinessMetric::orders_created), 0u);
  EXPECT_EQ(metric_lines("OrdersCreated"), 0u);
}

TEST_P(PaymentMetricsTest, ACompletedPaymentCountsOnceEvenWhenItsEventComesAgain) {
  auto paid = paid_order();
  EXPECT_EQ(str(body_of(get_payment(w.alice.access_token, paid.payment_id)).at("status")), "completed");
  EXPECT_EQ(counted(BusinessMetric::payments_completed), 1u);
  EXPECT_EQ(counted(BusinessMetric::payments_failed), 0u);
  for (const auto& call : webhooks().captured())
    if (WebhookRelay::type_of(call) == "payment_intent.succeeded") {
      auto again = webhooks().deliver(call);
      EXPECT_EQ(again.status, 200) << again.body;
    }
  EXPECT_EQ(counted(BusinessMetric::payments_completed), 1u);
  EXPECT_EQ(metric_lines("PaymentsCompleted"), 1u);
  EXPECT_EQ(counted(BusinessMetric::webhook_failures), 0u);
}

TEST_P(PaymentMetricsTest, AFailedPaymentCounts) {
  auto order_id = placed_order_id(app(), w.alice.access_token, {{w.lamp, 1}});
  auto r = initiate(w.alice.access_token, order_id);
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(confirm(client_secret_of(r), "pm_card_chargeDeclined").status, 402);
  deliver_webhooks();
  EXPECT_EQ(str(body_of(get_payment(w.alice.access_token, str(body_of(r).at("id")))).at("status")), "failed");
  EXPECT_EQ(counted(BusinessMetric::payments_failed), 1u);
  EXPECT_EQ(counted(BusinessMetric::payments_completed), 0u);
  EXPECT_EQ(metric_lines("PaymentsFailed"), 1u);
}

TEST_P(PaymentMetricsTest, ARefusedWebhookCountsAFailure) {
  std::string body = R"({"id":"evt_1","type":"payment_intent.succeeded","data":{"object":{}}})";
  auto bad_signature = post_webhook(body, "t=1,v1=00");
  EXPECT_EQ(bad_signature.status, 400) << bad_signature.body;
  EXPECT_EQ(counted(BusinessMetric::webhook_failures), 1u);
  auto seconds = std::chrono::duration_cast<std::chrono::seconds>(app().clock().now().time_since_epoch()).count();
  std::string malformed = "{not json";
  auto signed_malformed = post_webhook(malformed, clients::stripe::sign_webhook(webhook_secret, seconds, malformed));
  EXPECT_EQ(signed_malformed.status, 400) << signed_malformed.body;
  EXPECT_EQ(counted(BusinessMetric::webhook_failures), 2u);
  EXPECT_EQ(metric_lines("WebhookFailures"), 2u);
  EXPECT_EQ(counted(BusinessMetric::payments_completed), 0u);
}

MERCATO_PAYMENTS_BACKENDS(PaymentMetricsTest);
