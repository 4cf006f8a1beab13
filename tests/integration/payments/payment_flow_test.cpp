// Paying for an order through the Stripe emulator: the happy path to `paid`, a declined
// card and the retry, two initiations racing, Idempotency-Key, who may pay and see what,
// the transaction log, and that no secret reaches a log line.

#include "integration/payments/payments_test_support.hpp"

using namespace mercato;
using namespace mercato::testing::payments;
using mercato::testing::AppHarness;
namespace accounts = mercato::testing::accounts;

namespace {

class PaymentFlowTest : public PaymentsTest {};

std::vector<std::string> event_types(AppHarness& app, const std::string& admin, const std::string& payment_id) {
  auto r = app.call(http::Method::get, "/api/payments/" + payment_id + "/events?limit=100", {}, bearer(admin));
  EXPECT_EQ(r.status, 200) << r.body;
  std::vector<std::string> types;
  if (r.status != 200) return types;
  auto body = body_of(r);
  for (const auto& e : body.at("data").as_array()) types.push_back(str(e.at("type")));
  return types;
}

TEST_P(PaymentFlowTest, CardPaymentTurnsTheOrderPaid) {
  auto order_id = placed_order_id(app(), w.alice.access_token, {{w.lamp, 2}, {w.mug, 1}});
  auto total = 2 * lamp_price + mug_price;
  auto r = initiate(w.alice.access_token, order_id);
  ASSERT_EQ(r.status, 201) << r.body;
  auto payment = body_of(r);
  EXPECT_EQ(str(payment.at("status")), "pending");
  EXPECT_EQ(payment.at("amount").as_int64(), total);
  EXPECT_EQ(str(payment.at("currency")), "usd");
  EXPECT_EQ(str(payment.at("payment_gateway")), "stripe");
  EXPECT_TRUE(payment.at("transaction_id").is_null());
  EXPECT_EQ(header_of(r, "Cache-Control"), "no-store");
  auto secret = client_secret_of(r);
  ASSERT_TRUE(secret.starts_with("pi_")) << secret;
  ASSERT_NE(secret.find("_secret_"), std::string::npos);
  EXPECT_EQ(str(body_of(get_order(app(), w.alice.access_token, order_id)).at("payment_status")), "pending");

  // The intent's amount is the order's, whatever the client might have wished.
  auto intent = stripe("GET", "/v1/payment_intents/" + intent_of(secret));
  ASSERT_EQ(intent.status, 200) << intent.body;
  auto intent_json = boost::json::parse(intent.body).as_object();
  EXPECT_EQ(intent_json.at("amount").as_int64(), total);
  EXPECT_EQ(str(intent_json.at("metadata").at("order_id")), order_id);
  EXPECT_EQ(str(intent_json.at("metadata").at("payment_id")), str(payment.at("id")));

  auto confirmed = confirm(secret);
  ASSERT_EQ(confirmed.status, 200) << confirmed.body;
  EXPECT_GE(deliver_webhooks(), 1u);

  auto paid = body_of(get_payment(w.alice.access_token, str(payment.at("id"))));
  EXPECT_EQ(str(paid.at("status")), "completed");
  ASSERT_TRUE(paid.at("transaction_id").is_string());
  EXPECT_TRUE(str(paid.at("transaction_id")).starts_with("ch_"));
  EXPECT_FALSE(paid.contains("client_secret"));
  auto order = body_of(get_order(app(), w.alice.access_token, order_id));
  EXPECT_EQ(str(order.at("status")), "paid");
  EXPECT_EQ(str(order.at("payment_status")), "completed");
  // The change is the system's, numbered like every status change: it reaches event streams.
  EXPECT_EQ(rows("SELECT COUNT(*) FROM order_status_history WHERE order_id = $1 AND to_status = 'paid' "
                 "AND actor_role = 'system' AND actor_id IS NULL AND seq IS NOT NULL",
                 {order_id}),
            1);
}

TEST_P(PaymentFlowTest, PaidEventReachesTheCustomersStream) {
  if (backend() != mercato::testing::Backend::sqlite) GTEST_SKIP() << "PostgreSQL feeds the hub by LISTEN (tested in orders_events)";
  std::vector<domain::OrderStatusChanged> seen;
  auto id = app().application().order_events().subscribe(
      Principal{w.alice.user_id, "customer", "", true}, [&](const domain::OrderStatusChanged& e) {
        seen.push_back(e);
        return true;
      });
  auto paid = paid_order();
  app().application().order_events().unsubscribe(id);
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].order_id, paid.order_id);
  EXPECT_EQ(seen[0].status, domain::OrderStatus::paid);
  EXPECT_EQ(seen[0].previous_status, domain::OrderStatus::pending);
}

TEST_P(PaymentFlowTest, DeclinedCardFailsTheAttemptAndANewAttemptPays) {
  auto order_id = placed_order_id(app(), w.alice.access_token, {{w.lamp, 1}});
  auto first = initiate(w.alice.access_token, order_id);
  ASSERT_EQ(first.status, 201) << first.body;
  auto declined = confirm(client_secret_of(first), "pm_card_chargeDeclined");
  EXPECT_EQ(declined.status, 402) << declined.body;
  deliver_webhooks();
  auto failed = body_of(get_payment(w.alice.access_token, str(body_of(first).at("id"))));
  EXPECT_EQ(str(failed.at("status")), "failed");
  EXPECT_TRUE(failed.at("transaction_id").is_null());
  ASSERT_TRUE(failed.at("failure_code").is_string());
  EXPECT_EQ(str(body_of(get_order(app(), w.alice.access_token, order_id)).at("status")), "pending");
  EXPECT_EQ(str(body_of(get_order(app(), w.alice.access_token, order_id)).at("payment_status")), "failed");

  auto second = initiate(w.alice.access_token, order_id);
  ASSERT_EQ(second.status, 201) << second.body;
  EXPECT_NE(str(body_of(second).at("id")), str(body_of(first).at("id")));
  EXPECT_NE(client_secret_of(second), client_secret_of(first));
  ASSERT_EQ(confirm(client_secret_of(second)).status, 200);
  deliver_webhooks();
  auto order = body_of(get_order(app(), w.alice.access_token, order_id));
  EXPECT_EQ(str(order.at("status")), "paid");
  EXPECT_EQ(str(order.at("payment_status")), "completed");
  EXPECT_EQ(rows("SELECT COUNT(*) FROM payments WHERE order_id = $1 AND status = 'completed'", {order_id}), 1);
}

TEST_P(PaymentFlowTest, AnAttemptInProgressIsResumedNotDuplicated) {
  auto order_id = placed_order_id(app(), w.alice.access_token, {{w.lamp, 1}});
  auto first = initiate(w.alice.access_token, order_id);
  auto again = initiate(w.alice.access_token, order_id);
  ASSERT_EQ(first.status, 201) << first.body;
  ASSERT_EQ(again.status, 201) << again.body;
  EXPECT_EQ(str(body_of(again).at("id")), str(body_of(first).at("id")));
  EXPECT_EQ(client_secret_of(again), client_secret_of(first));
  EXPECT_EQ(rows("SELECT COUNT(*) FROM payments WHERE order_id = $1", {order_id}), 1);
}

TEST_P(PaymentFlowTest, ConcurrentInitiationsMakeOneIntent) {
  auto order_id = placed_order_id(app(), w.alice.access_token, {{w.lamp, 1}});
  auto responses = at_once(6, [&](int) {
    return call_from(app(), "127.0.0.1", http::Method::post, "/api/payments", json({{"order_id", order_id}}),
                     bearer(w.alice.access_token));
  });
  std::set<std::string> payments, secrets;
  for (const auto& r : responses) {
    ASSERT_EQ(r.status, 201) << r.body;
    payments.insert(str(body_of(r).at("id")));
    secrets.insert(client_secret_of(r));
  }
  EXPECT_EQ(payments.size(), 1u);
  EXPECT_EQ(secrets.size(), 1u);
  EXPECT_EQ(rows("SELECT COUNT(*) FROM payments WHERE order_id = $1", {order_id}), 1);
  EXPECT_EQ(rows("SELECT COUNT(*) FROM payment_events WHERE type = 'gateway_call'"), 1);
}

TEST_P(PaymentFlowTest, IdempotencyKeyReplaysAndRefusesAnotherOrder) {
  auto order_id = placed_order_id(app(), w.alice.access_token, {{w.lamp, 1}});
  auto other_order = placed_order_id(app(), w.alice.access_token, {{w.mug, 1}});
  auto first = initiate(w.alice.access_token, order_id, "pay-key-1");
  ASSERT_EQ(first.status, 201) << first.body;
  EXPECT_FALSE(has_header(first, "Idempotent-Replayed"));
  auto replay = initiate(w.alice.access_token, order_id, "pay-key-1");
  ASSERT_EQ(replay.status, 201) << replay.body;
  EXPECT_EQ(header_of(replay, "Idempotent-Replayed"), "true");
  EXPECT_EQ(str(body_of(replay).at("id")), str(body_of(first).at("id")));
  EXPECT_EQ(client_secret_of(replay), client_secret_of(first));
  auto reused = initiate(w.alice.access_token, other_order, "pay-key-1");
  EXPECT_EQ(reused.status, 422) << reused.body;
  EXPECT_EQ(code_of(reused), "idempotency_key_reused");
}

TEST_P(PaymentFlowTest, OnlyTheOwnerOfAPendingOrderMayPay) {
  auto order_id = placed_order_id(app(), w.alice.access_token, {{w.lamp, 1}});
  auto by_bob = initiate(w.bob.access_token, order_id);
  EXPECT_EQ(by_bob.status, 404) << by_bob.body;
  auto by_vendor = initiate(w.vendor1.access_token, order_id);
  EXPECT_EQ(by_vendor.status, 403) << by_vendor.body;
  auto unknown = initiate(w.alice.access_token, "01890000-0000-7000-8000-000000000000");
  EXPECT_EQ(unknown.status, 404);
  auto anonymous = app().call(http::Method::post, "/api/payments", json({{"order_id", order_id}}));
  EXPECT_EQ(anonymous.status, 401);

  // An amount (or anything but order_id) is refused: the order says what is owed.
  auto with_amount = accounts::post(app(), "/api/payments", {{"order_id", order_id}, {"amount", 1}},
                                    bearer(w.alice.access_token));
  EXPECT_EQ(with_amount.status, 400);
  EXPECT_EQ(field_set(with_amount), std::set<std::string>{"amount"});
  auto bad_id = accounts::post(app(), "/api/payments", {{"order_id", "nope"}}, bearer(w.alice.access_token));
  EXPECT_EQ(bad_id.status, 400);

  ASSERT_EQ(cancel_order(app(), w.alice.access_token, order_id).status, 200);
  auto cancelled = initiate(w.alice.access_token, order_id);
  EXPECT_EQ(cancelled.status, 409) << cancelled.body;
  EXPECT_EQ(code_of(cancelled), "order_not_payable");
  EXPECT_EQ(rows("SELECT COUNT(*) FROM payments"), 0);
}

TEST_P(PaymentFlowTest, UnverifiedCustomerCannotPay) {
  accounts::register_user(app(), "carol@example.com", "correct horse battery", "customer");
  auto carol = accounts::login(app(), "carol@example.com", "correct horse battery");
  auto r = initiate(carol.access_token, "01890000-0000-7000-8000-000000000000");
  EXPECT_EQ(r.status, 403) << r.body;
  EXPECT_EQ(code_of(r), "email_not_verified");
}

TEST_P(PaymentFlowTest, APaidOrderCannotBePaidAgain) {
  auto paid = paid_order();
  auto r = initiate(w.alice.access_token, paid.order_id);
  EXPECT_EQ(r.status, 409) << r.body;
  EXPECT_EQ(code_of(r), "order_not_payable");
}

TEST_P(PaymentFlowTest, OwnerAndAdminSeeAPaymentOthersDoNot) {
  auto paid = paid_order();
  EXPECT_EQ(get_payment(w.alice.access_token, paid.payment_id).status, 200);
  EXPECT_EQ(get_payment(w.admin.access_token, paid.payment_id).status, 200);
  EXPECT_EQ(get_payment(w.bob.access_token, paid.payment_id).status, 404);
  EXPECT_EQ(get_payment(w.vendor1.access_token, paid.payment_id).status, 404);
  EXPECT_EQ(get_payment(w.alice.access_token, "not-a-uuid").status, 404);
}

TEST_P(PaymentFlowTest, TransactionLogRecordsEveryStepForAdminsOnly) {
  auto paid = paid_order();
  auto types = event_types(app(), w.admin.access_token, paid.payment_id);
  std::vector<std::string> expected_in_order{"attempt_created", "gateway_call", "webhook", "status_changed"};
  auto it = types.begin();
  for (const auto& want : expected_in_order) {
    it = std::find(it, types.end(), want);
    EXPECT_NE(it, types.end()) << "missing " << want << " in order";
  }
  auto by_owner = app().call(http::Method::get, "/api/payments/" + paid.payment_id + "/events", {},
                             bearer(w.alice.access_token));
  EXPECT_EQ(by_owner.status, 403);
  auto unknown = app().call(http::Method::get, "/api/payments/01890000-0000-7000-8000-000000000000/events", {},
                            bearer(w.admin.access_token));
  EXPECT_EQ(unknown.status, 404);
  auto by_bob = app().call(http::Method::get, "/api/payments/" + paid.payment_id + "/events", {},
                           bearer(w.bob.access_token));
  EXPECT_EQ(by_bob.status, 403);
  // Paging: one at a time walks the same rows.
  std::vector<std::string> walked;
  std::string target = "/api/payments/" + paid.payment_id + "/events?limit=1";
  for (int guard = 0; guard < 100; ++guard) {
    auto page = body_of(app().call(http::Method::get, target, {}, bearer(w.admin.access_token)));
    for (const auto& e : page.at("data").as_array()) walked.push_back(str(e.at("type")));
    if (page.at("next_cursor").is_null()) break;
    target = "/api/payments/" + paid.payment_id + "/events?limit=1&cursor=" + str(page.at("next_cursor"));
  }
  EXPECT_EQ(walked, types);
}

TEST_P(PaymentFlowTest, NoSecretReachesTheLogs) {
  auto order_id = placed_order_id(app(), w.alice.access_token, {{w.lamp, 1}});
  auto r = initiate(w.alice.access_token, order_id);
  ASSERT_EQ(r.status, 201);
  auto secret = client_secret_of(r);
  ASSERT_EQ(confirm(secret).status, 200);
  deliver_webhooks();
  for (const auto& text : {app().log_text(), emulator_log_text_.str()}) {
    EXPECT_EQ(text.find(secret), std::string::npos);
    EXPECT_EQ(text.find(std::string(secret_key)), std::string::npos);
    EXPECT_EQ(text.find(std::string(webhook_secret)), std::string::npos);
  }
  // Nor is the client secret stored in plaintext.
  EXPECT_EQ(rows("SELECT COUNT(*) FROM payments WHERE client_secret = $1", {secret}), 0);
  EXPECT_EQ(rows("SELECT COUNT(*) FROM payments WHERE client_secret IS NOT NULL"), 1);
  auto lease = database().acquire();
  auto payloads = lease->execute("SELECT payload FROM webhook_events");
  EXPECT_FALSE(payloads.rows.empty());
  for (const auto& row : payloads.rows) {
    EXPECT_EQ(row.text(0).find(intent_of(secret)), std::string::npos);
    EXPECT_EQ(row.text(0).find("payment_intent"), std::string::npos);
  }
}

MERCATO_PAYMENTS_BACKENDS(PaymentFlowTest);

}  // namespace
