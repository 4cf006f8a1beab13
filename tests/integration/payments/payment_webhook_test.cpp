// The webhook route: signatures checked over the raw body before anything else (valid,
// tampered, wrong secret, stale, future, several v1, rotation, missing, malformed), each
// event once, events in any order, and money taken twice for one order given back.

#include "integration/payments/payments_test_support.hpp"

using namespace mercato;
using namespace mercato::testing::payments;
using mercato::testing::AppHarness;
namespace accounts = mercato::testing::accounts;

namespace {

class PaymentWebhookTest : public PaymentsTest {
 protected:
  // A signed request as Stripe would send it, at `at` seconds relative to the harness clock.
  http::Response post_webhook(const std::string& body, const std::optional<std::string>& signature) {
    http::Headers headers;
    headers.set("Content-Type", "application/json; charset=utf-8");
    if (signature) headers.set("Stripe-Signature", *signature);
    return app().call(http::Method::post, "/api/payments/webhook", body, std::move(headers));
  }
  std::int64_t now_seconds() {
    return std::chrono::duration_cast<std::chrono::seconds>(app().clock().now().time_since_epoch()).count();
  }
  std::string sign(const std::string& body, std::int64_t offset = 0, std::string_view secret = webhook_secret) {
    return clients::stripe::sign_webhook(secret, now_seconds() + offset, body);
  }
  // The succeeded event of a freshly confirmed payment, captured and not yet delivered.
  struct Held {
    std::string order_id;
    std::string payment_id;
    std::vector<clients::HttpCall> calls;
  };
  Held confirmed_but_held(const std::string& payment_method = "pm_card_visa") {
    Held held;
    held.order_id = placed_order_id(app(), w.alice.access_token, {{w.lamp, 1}});
    auto r = initiate(w.alice.access_token, held.order_id);
    EXPECT_EQ(r.status, 201) << r.body;
    held.payment_id = str(body_of(r).at("id"));
    webhooks().hold(true);
    confirm(client_secret_of(r), payment_method);
    deliver_webhooks();
    held.calls = webhooks().captured();
    return held;
  }
  static const clients::HttpCall* find(const std::vector<clients::HttpCall>& calls, const std::string& type) {
    for (const auto& c : calls)
      if (WebhookRelay::type_of(c) == type) return &c;
    return nullptr;
  }
  std::string payment_status(const std::string& id) {
    return str(body_of(get_payment(w.admin.access_token, id)).at("status"));
  }
};

TEST_P(PaymentWebhookTest, SignatureIsCheckedBeforeAnythingChanges) {
  auto held = confirmed_but_held();
  const auto* succeeded = find(held.calls, "payment_intent.succeeded");
  ASSERT_NE(succeeded, nullptr);
  const auto& body = succeeded->body;
  auto tampered = body;
  tampered.replace(tampered.find("\"succeeded\""), 11, "\"succeedee\"");
  auto t = std::to_string(now_seconds());

  struct Case {
    std::string name;
    std::string body;
    std::optional<std::string> header;
  };
  std::vector<Case> refused{
      {"tampered body", tampered, sign(body)},
      {"wrong secret", body, sign(body, 0, "whsec_someone_else")},
      {"stale by 301 s", body, sign(body, -301)},
      {"from the future by 301 s", body, sign(body, 301)},
      {"missing", body, std::nullopt},
      {"empty", body, std::string()},
      {"no timestamp", body, "v1=" + sign(body).substr(sign(body).find("v1=") + 3)},
      {"no v1", body, "t=" + t},
      {"garbage", body, "not a signature"},
      {"two timestamps", body, "t=" + t + "," + sign(body)},
  };
  for (const auto& c : refused) {
    auto r = post_webhook(c.body, c.header);
    EXPECT_EQ(r.status, 400) << c.name << ": " << r.body;
    EXPECT_EQ(code_of(r), "invalid_signature") << c.name;
  }
  EXPECT_EQ(rows("SELECT COUNT(*) FROM webhook_events"), 0);
  EXPECT_EQ(payment_status(held.payment_id), "pending");

  // Several v1 values, one of them right; and 299 s either way is within tolerance.
  auto several = "t=" + t + ",v1=" + std::string(64, '0') + "," + sign(body).substr(sign(body).find("v1="));
  EXPECT_EQ(post_webhook(body, several).status, 200);
  EXPECT_EQ(payment_status(held.payment_id), "completed");
  const auto* created = find(held.calls, "payment_intent.created");
  ASSERT_NE(created, nullptr);
  EXPECT_EQ(post_webhook(created->body, sign(created->body, -299)).status, 200);
  const auto* charge = find(held.calls, "charge.succeeded");
  ASSERT_NE(charge, nullptr);
  EXPECT_EQ(post_webhook(charge->body, sign(charge->body, 299)).status, 200);
}

TEST_P(PaymentWebhookTest, RepeatedEventChangesNothing) {
  auto held = confirmed_but_held();
  const auto* succeeded = find(held.calls, "payment_intent.succeeded");
  ASSERT_NE(succeeded, nullptr);
  auto first = webhooks().deliver(*succeeded);
  ASSERT_EQ(first.status, 200) << first.body;
  auto log_rows = rows("SELECT COUNT(*) FROM payment_events");
  auto history_rows = rows("SELECT COUNT(*) FROM order_status_history");
  for (int i = 0; i < 3; ++i) {
    auto again = webhooks().deliver(*succeeded);
    EXPECT_EQ(again.status, 200);
    EXPECT_TRUE(body_of(again).at("duplicate").as_bool());
  }
  EXPECT_EQ(rows("SELECT COUNT(*) FROM payment_events"), log_rows);
  EXPECT_EQ(rows("SELECT COUNT(*) FROM order_status_history"), history_rows);
  EXPECT_EQ(rows("SELECT COUNT(*) FROM webhook_events"), 1);
}

TEST_P(PaymentWebhookTest, LateFailureAfterSuccessChangesNothing) {
  // Declined first, then paid on the same intent: the events may arrive the other way round.
  auto order_id = placed_order_id(app(), w.alice.access_token, {{w.lamp, 1}});
  auto r = initiate(w.alice.access_token, order_id);
  ASSERT_EQ(r.status, 201);
  auto payment_id = str(body_of(r).at("id"));
  webhooks().hold(true);
  EXPECT_EQ(confirm(client_secret_of(r), "pm_card_chargeDeclined").status, 402);
  EXPECT_EQ(confirm(client_secret_of(r), "pm_card_visa").status, 200);
  deliver_webhooks();
  auto calls = webhooks().captured();
  const auto* failed = find(calls, "payment_intent.payment_failed");
  const auto* succeeded = find(calls, "payment_intent.succeeded");
  ASSERT_NE(failed, nullptr);
  ASSERT_NE(succeeded, nullptr);
  EXPECT_EQ(webhooks().deliver(*succeeded).status, 200);
  EXPECT_EQ(webhooks().deliver(*failed).status, 200);
  EXPECT_EQ(payment_status(payment_id), "completed");
  auto order = body_of(get_order(app(), w.alice.access_token, order_id));
  EXPECT_EQ(str(order.at("status")), "paid");
  EXPECT_EQ(str(order.at("payment_status")), "completed");
}

TEST_P(PaymentWebhookTest, UnknownEventTypesAndIntentsAreAcknowledged) {
  std::string unknown_type = R"({"id":"evt_unknown_type_1","object":"event","created":1,"type":"customer.created",)"
                             R"("data":{"object":{"id":"cus_1","object":"customer"}}})";
  auto r = post_webhook(unknown_type, sign(unknown_type));
  EXPECT_EQ(r.status, 200) << r.body;
  std::string unknown_intent =
      R"({"id":"evt_unknown_intent_1","object":"event","created":1,"type":"payment_intent.succeeded",)"
      R"("data":{"object":{"id":"pi_nobody","object":"payment_intent","amount":100,"amount_received":100,)"
      R"("currency":"usd","status":"succeeded","latest_charge":"ch_nobody","metadata":{}}}})";
  auto r2 = post_webhook(unknown_intent, sign(unknown_intent));
  EXPECT_EQ(r2.status, 200) << r2.body;
  EXPECT_EQ(rows("SELECT COUNT(*) FROM payments"), 0);
  EXPECT_NE(app().log_text().find("webhook_unknown_payment"), std::string::npos);
}

TEST_P(PaymentWebhookTest, SignedButMalformedEventIsRefusedAndRecordsNothing) {
  for (std::string body : {std::string("not json"), std::string(R"({"id":"evt_no_type","data":{"object":{}}})"),
                           std::string(R"([1,2,3])")}) {
    auto r = post_webhook(body, sign(body));
    EXPECT_EQ(r.status, 400) << body << ": " << r.body;
  }
  EXPECT_EQ(rows("SELECT COUNT(*) FROM webhook_events"), 0);
}

TEST_P(PaymentWebhookTest, MoneyTakenTwiceForOneOrderIsGivenBack) {
  // A declined attempt, then a second attempt; the customer's old page pays the first
  // intent too. Whichever success arrives second finds the order paid and is refunded.
  auto order_id = placed_order_id(app(), w.alice.access_token, {{w.lamp, 1}});
  auto first = initiate(w.alice.access_token, order_id);
  ASSERT_EQ(first.status, 201);
  EXPECT_EQ(confirm(client_secret_of(first), "pm_card_chargeDeclined").status, 402);
  deliver_webhooks();
  auto second = initiate(w.alice.access_token, order_id);
  ASSERT_EQ(second.status, 201);
  ASSERT_EQ(confirm(client_secret_of(second)).status, 200);
  ASSERT_EQ(confirm(client_secret_of(first)).status, 200);
  deliver_webhooks();
  deliver_webhooks();
  auto a = body_of(get_payment(w.admin.access_token, str(body_of(first).at("id"))));
  auto b = body_of(get_payment(w.admin.access_token, str(body_of(second).at("id"))));
  std::multiset<std::string> statuses{str(a.at("status")), str(b.at("status"))};
  EXPECT_EQ(statuses, (std::multiset<std::string>{"completed", "refunded"}));
  EXPECT_EQ(rows("SELECT COUNT(*) FROM payments WHERE order_id = $1 AND status = 'completed'", {order_id}), 1);
  EXPECT_EQ(str(body_of(get_order(app(), w.alice.access_token, order_id)).at("status")), "paid");
}

TEST_P(PaymentWebhookTest, RefundEventsOutOfOrderNeverMoveARefundBack) {
  auto order_id = placed_order_id(app(), w.alice.access_token, {{w.lamp, 1}});
  auto r = initiate(w.alice.access_token, order_id);
  ASSERT_EQ(r.status, 201);
  ASSERT_EQ(confirm(client_secret_of(r), "pm_card_refundFail").status, 200);
  deliver_webhooks();
  auto payment_id = str(body_of(r).at("id"));
  webhooks().hold(true);
  auto refunded = accounts::post(app(), "/api/payments/refund", {{"payment_id", payment_id}}, bearer(w.admin.access_token));
  ASSERT_EQ(refunded.status, 200) << refunded.body;
  deliver_webhooks();  // refund.created (pending), charge.refunded; the emulator then fails the refund
  deliver_webhooks();  // refund.updated and refund.failed (failed)
  auto calls = webhooks().captured();
  const auto* failed = find(calls, "refund.failed");
  const auto* created = find(calls, "refund.created");
  ASSERT_NE(failed, nullptr);
  ASSERT_NE(created, nullptr);
  EXPECT_EQ(webhooks().deliver(*failed).status, 200);
  EXPECT_EQ(webhooks().deliver(*created).status, 200);  // says pending: older news
  EXPECT_EQ(rows("SELECT COUNT(*) FROM refunds WHERE payment_id = $1 AND status = 'failed'", {payment_id}), 1);
  auto payment = body_of(get_payment(w.admin.access_token, payment_id));
  EXPECT_EQ(str(payment.at("status")), "completed");
  EXPECT_EQ(payment.at("amount_refunded").as_int64(), 0);
}

class RotatedSecretWebhookTest : public PaymentWebhookTest {
 protected:
  app::Config payment_config() override {
    auto config = PaymentWebhookTest::payment_config();
    config.stripe_webhook_secrets = {"whsec_new_secret", std::string(webhook_secret)};
    return config;
  }
};

TEST_P(RotatedSecretWebhookTest, EitherSecretOfARotationIsAccepted) {
  auto held = confirmed_but_held();
  const auto* succeeded = find(held.calls, "payment_intent.succeeded");
  ASSERT_NE(succeeded, nullptr);
  EXPECT_EQ(post_webhook(succeeded->body, sign(succeeded->body, 0, "whsec_new_secret")).status, 200);
  const auto* created = find(held.calls, "payment_intent.created");
  ASSERT_NE(created, nullptr);
  EXPECT_EQ(post_webhook(created->body, sign(created->body, 0, webhook_secret)).status, 200);
  EXPECT_EQ(post_webhook(created->body, sign(created->body, 0, "whsec_retired")).status, 400);
  EXPECT_EQ(payment_status(held.payment_id), "completed");
}

MERCATO_PAYMENTS_BACKENDS(PaymentWebhookTest);
MERCATO_PAYMENTS_BACKENDS(RotatedSecretWebhookTest);

}  // namespace
