// Refunds: partial then full, never more than what is left, the customer's window after
// delivery and the admin's any time, another's payment, cancellation of a paid order, a
// refund the gateway fails later, and refunds racing each other.

#include "integration/payments/payments_test_support.hpp"

using namespace mercato;
using namespace mercato::testing::payments;
using mercato::testing::AppHarness;
namespace accounts = mercato::testing::accounts;

namespace {

class PaymentRefundTest : public PaymentsTest {};

boost::json::object refund_body(const std::string& payment_id, std::optional<std::int64_t> amount = std::nullopt,
                                std::optional<std::string> reason = std::nullopt) {
  boost::json::object body{{"payment_id", payment_id}};
  if (amount) body["amount"] = *amount;
  if (reason) body["reason"] = *reason;
  return body;
}

TEST_P(PaymentRefundTest, PartialThenFullRefund) {
  auto paid = paid_order(2);
  deliver_order(paid.order_id);
  auto part = refund(w.alice.access_token, refund_body(paid.payment_id, 400, "one lamp arrived scratched"));
  ASSERT_EQ(part.status, 200) << part.body;
  EXPECT_EQ(str(body_of(part).at("status")), "completed");
  EXPECT_EQ(body_of(part).at("amount_refunded").as_int64(), 400);

  auto rest = refund(w.alice.access_token, refund_body(paid.payment_id));
  ASSERT_EQ(rest.status, 200) << rest.body;
  EXPECT_EQ(str(body_of(rest).at("status")), "refunded");
  EXPECT_EQ(body_of(rest).at("amount_refunded").as_int64(), paid.total);
  auto order = body_of(get_order(app(), w.alice.access_token, paid.order_id));
  EXPECT_EQ(str(order.at("payment_status")), "refunded");
  EXPECT_EQ(str(order.at("status")), "delivered");
  EXPECT_EQ(rows("SELECT COUNT(*) FROM refunds WHERE payment_id = $1 AND status = 'succeeded'", {paid.payment_id}), 2);
  EXPECT_EQ(rows("SELECT COUNT(*) FROM refunds WHERE reason = 'one lamp arrived scratched'"), 1);
  // Each gateway call is in the transaction log.
  EXPECT_EQ(rows("SELECT COUNT(*) FROM payment_events WHERE payment_id = $1 AND type = 'gateway_call' "
                 "AND detail = 'create_refund: succeeded'",
                 {paid.payment_id}),
            2);

  // The late webhooks of both refunds change nothing.
  deliver_webhooks();
  auto after = body_of(get_payment(w.alice.access_token, paid.payment_id));
  EXPECT_EQ(str(after.at("status")), "refunded");
  EXPECT_EQ(after.at("amount_refunded").as_int64(), paid.total);

  auto more = refund(w.alice.access_token, refund_body(paid.payment_id, 1));
  EXPECT_EQ(more.status, 409) << more.body;
  EXPECT_EQ(code_of(more), "payment_fully_refunded");
}

TEST_P(PaymentRefundTest, RefundOverWhatIsLeftIsRefused) {
  auto paid = paid_order(1);
  deliver_order(paid.order_id);
  ASSERT_EQ(refund(w.alice.access_token, refund_body(paid.payment_id, 1000)).status, 200);
  auto over = refund(w.alice.access_token, refund_body(paid.payment_id, paid.total - 1000 + 1));
  EXPECT_EQ(over.status, 400) << over.body;
  EXPECT_EQ(field_set(over), std::set<std::string>{"amount"});
  for (auto bad : {std::int64_t{0}, std::int64_t{-5}}) {
    auto r = refund(w.alice.access_token, refund_body(paid.payment_id, bad));
    EXPECT_EQ(r.status, 400) << bad;
  }
  auto unknown_field = refund(w.alice.access_token, {{"payment_id", paid.payment_id}, {"currency", "eur"}});
  EXPECT_EQ(unknown_field.status, 400);
  EXPECT_EQ(body_of(get_payment(w.alice.access_token, paid.payment_id)).at("amount_refunded").as_int64(), 1000);
}

TEST_P(PaymentRefundTest, CustomerWindowClosesAdminsDoesNot) {
  auto paid = paid_order(1);
  auto early = refund(w.alice.access_token, refund_body(paid.payment_id, 100));
  EXPECT_EQ(early.status, 409) << early.body;
  EXPECT_EQ(code_of(early), "order_not_delivered");
  deliver_order(paid.order_id);
  // Access tokens last minutes: sign in again after the days go by.
  app().clock().advance(std::chrono::days{30} - std::chrono::minutes{1});
  auto alice = accounts::login(app(), "alice@example.com", "password1");
  EXPECT_EQ(refund(alice.access_token, refund_body(paid.payment_id, 100)).status, 200);
  app().clock().advance(std::chrono::minutes{2});
  alice = accounts::login(app(), "alice@example.com", "password1");
  auto admin = accounts::login(app(), "root@admin.example", "admin-password-1");
  auto late = refund(alice.access_token, refund_body(paid.payment_id, 100));
  EXPECT_EQ(late.status, 409) << late.body;
  EXPECT_EQ(code_of(late), "refund_window_expired");
  auto by_admin = refund(admin.access_token, refund_body(paid.payment_id, 100));
  ASSERT_EQ(by_admin.status, 200) << by_admin.body;
  EXPECT_EQ(body_of(by_admin).at("amount_refunded").as_int64(), 200);
}

TEST_P(PaymentRefundTest, AnotherCustomersPaymentIsNotFound) {
  auto paid = paid_order(1);
  deliver_order(paid.order_id);
  auto r = refund(w.bob.access_token, refund_body(paid.payment_id));
  EXPECT_EQ(r.status, 404) << r.body;
  auto vendor = refund(w.vendor1.access_token, refund_body(paid.payment_id));
  EXPECT_EQ(vendor.status, 404);
  EXPECT_EQ(rows("SELECT COUNT(*) FROM refunds"), 0);
}

TEST_P(PaymentRefundTest, UnpaidAttemptCannotBeRefunded) {
  auto order_id = placed_order_id(app(), w.alice.access_token, {{w.lamp, 1}});
  auto r = initiate(w.alice.access_token, order_id);
  ASSERT_EQ(r.status, 201);
  auto by_admin = refund(w.admin.access_token, refund_body(str(body_of(r).at("id"))));
  EXPECT_EQ(by_admin.status, 409) << by_admin.body;
  EXPECT_EQ(code_of(by_admin), "payment_not_refundable");
}

TEST_P(PaymentRefundTest, CancellingAPaidOrderRefundsItInFull) {
  auto paid = paid_order(3);
  auto stock_before = stock_of(app(), w.lamp);
  auto r = cancel_order(app(), w.alice.access_token, paid.order_id);
  ASSERT_EQ(r.status, 200) << r.body;
  auto payment = body_of(get_payment(w.alice.access_token, paid.payment_id));
  EXPECT_EQ(str(payment.at("status")), "refunded");
  EXPECT_EQ(payment.at("amount_refunded").as_int64(), paid.total);
  EXPECT_EQ(stock_of(app(), w.lamp), stock_before + 3);
  EXPECT_EQ(rows("SELECT COUNT(*) FROM refunds WHERE payment_id = $1 AND requested_by IS NULL AND amount = $2",
                 {paid.payment_id, paid.total}),
            1);
  // At the gateway too: the charge is refunded in full.
  auto order = body_of(get_order(app(), w.alice.access_token, paid.order_id));
  EXPECT_EQ(str(order.at("payment_status")), "refunded");
}

TEST_P(PaymentRefundTest, CancellingAPendingOrderStopsItsOpenAttempt) {
  auto order_id = placed_order_id(app(), w.alice.access_token, {{w.lamp, 1}});
  auto r = initiate(w.alice.access_token, order_id);
  ASSERT_EQ(r.status, 201);
  ASSERT_EQ(cancel_order(app(), w.alice.access_token, order_id).status, 200);
  auto payment = body_of(get_payment(w.alice.access_token, str(body_of(r).at("id"))));
  EXPECT_EQ(str(payment.at("status")), "failed");
  EXPECT_EQ(str(payment.at("failure_code")), "order_cancelled");
  auto intent = stripe("GET", "/v1/payment_intents/" + intent_of(client_secret_of(r)));
  EXPECT_EQ(str(boost::json::parse(intent.body).at("status").as_string()), "canceled");
  EXPECT_EQ(rows("SELECT COUNT(*) FROM payment_events WHERE payment_id = $1 AND type = 'gateway_call' "
                 "AND detail = 'cancel_intent: canceled'",
                 {str(body_of(r).at("id"))}),
            1);
  // The customer's page still holds the client secret: paying now fails at the gateway.
  EXPECT_NE(confirm(client_secret_of(r)).status, 200);
}

TEST_P(PaymentRefundTest, RefundTheGatewayFailsFreesTheAmount) {
  auto order_id = placed_order_id(app(), w.alice.access_token, {{w.lamp, 1}});
  auto r = initiate(w.alice.access_token, order_id);
  ASSERT_EQ(r.status, 201);
  ASSERT_EQ(confirm(client_secret_of(r), "pm_card_refundFail").status, 200);
  deliver_webhooks();
  auto payment_id = str(body_of(r).at("id"));
  deliver_order(order_id);
  auto refunded = refund(w.alice.access_token, refund_body(payment_id));
  ASSERT_EQ(refunded.status, 200) << refunded.body;
  deliver_webhooks();  // the emulator fails the refund and says so
  deliver_webhooks();
  auto payment = body_of(get_payment(w.alice.access_token, payment_id));
  EXPECT_EQ(str(payment.at("status")), "completed");
  EXPECT_EQ(payment.at("amount_refunded").as_int64(), 0);
  EXPECT_EQ(rows("SELECT COUNT(*) FROM refunds WHERE payment_id = $1 AND status = 'failed'", {payment_id}), 1);
  // What failed may be refunded again.
  EXPECT_EQ(refund(w.admin.access_token, refund_body(payment_id, 100)).status, 200);
}

TEST_P(PaymentRefundTest, ConcurrentRefundsNeverExceedThePayment) {
  auto paid = paid_order(2);  // 2500
  deliver_order(paid.order_id);
  auto responses = at_once(8, [&](int) {
    return call_from(app(), "127.0.0.1", http::Method::post, "/api/payments/refund",
                     json(refund_body(paid.payment_id, 1000)), bearer(w.admin.access_token));
  });
  int ok = 0;
  for (const auto& r : responses) {
    if (r.status == 200) ++ok;
    else EXPECT_EQ(r.status, 400) << r.body;
  }
  EXPECT_EQ(ok, 2);
  auto payment = body_of(get_payment(w.admin.access_token, paid.payment_id));
  EXPECT_EQ(payment.at("amount_refunded").as_int64(), 2000);
  EXPECT_EQ(rows("SELECT COALESCE(SUM(amount), 0) FROM refunds WHERE payment_id = $1", {paid.payment_id}), 2000);
}

MERCATO_PAYMENTS_BACKENDS(PaymentRefundTest);

}  // namespace

namespace {

class PaymentGatewayDownTest : public PaymentsTest {};

TEST_P(PaymentGatewayDownTest, InitiationFailsCleanlyAndResumesLater) {
  auto order_id = placed_order_id(app(), w.alice.access_token, {{w.lamp, 1}});
  fail_gateway_calls(3);  // every attempt of one call
  auto down = initiate(w.alice.access_token, order_id);
  EXPECT_EQ(down.status, 503) << down.body;
  EXPECT_EQ(code_of(down), "payment_gateway_unavailable");
  EXPECT_TRUE(has_header(down, "Retry-After"));
  EXPECT_EQ(down.body.find("down for the test"), std::string::npos);  // never the gateway's words
  EXPECT_EQ(rows("SELECT COUNT(*) FROM payments WHERE order_id = $1 AND intent_id IS NULL", {order_id}), 1);
  auto up = initiate(w.alice.access_token, order_id);
  ASSERT_EQ(up.status, 201) << up.body;
  EXPECT_EQ(rows("SELECT COUNT(*) FROM payments WHERE order_id = $1", {order_id}), 1);
  ASSERT_EQ(confirm(client_secret_of(up)).status, 200);
  deliver_webhooks();
  EXPECT_EQ(str(body_of(get_order(app(), w.alice.access_token, order_id)).at("status")), "paid");
}

TEST_P(PaymentGatewayDownTest, UnansweredRefundIsSettledLaterOnce) {
  auto paid = paid_order(1);
  deliver_order(paid.order_id);
  fail_gateway_calls(3);
  auto r = refund(w.alice.access_token, {{"payment_id", paid.payment_id}});
  EXPECT_EQ(r.status, 503) << r.body;
  EXPECT_EQ(code_of(r), "refund_pending");
  EXPECT_EQ(rows("SELECT COUNT(*) FROM refunds WHERE payment_id = $1 AND status = 'pending'", {paid.payment_id}), 1);
  // The amount is held: a second request cannot refund it again meanwhile.
  auto again = refund(w.alice.access_token, {{"payment_id", paid.payment_id}});
  EXPECT_EQ(again.status, 409) << again.body;
  EXPECT_EQ(app().application().payments().settle_refunds(10), 0u);  // too young: its call may be in flight
  app().clock().advance(std::chrono::minutes{2});
  EXPECT_EQ(app().application().payments().settle_refunds(10), 1u);
  auto payment = body_of(get_payment(w.alice.access_token, paid.payment_id));
  EXPECT_EQ(str(payment.at("status")), "refunded");
  EXPECT_EQ(payment.at("amount_refunded").as_int64(), paid.total);
  EXPECT_EQ(app().application().payments().settle_refunds(10), 0u);
  deliver_webhooks();
  EXPECT_EQ(body_of(get_payment(w.alice.access_token, paid.payment_id)).at("amount_refunded").as_int64(), paid.total);
}

MERCATO_PAYMENTS_BACKENDS(PaymentGatewayDownTest);

}  // namespace
