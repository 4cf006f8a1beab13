// PaymentIntents over a real socket: create, retrieve, confirm with test cards, declines, cancel.

#include "integration/stripe_emulator/emulator_fixture.hpp"

using mercato::test::str;
using mercato::test::StripeEmulatorFixture;

namespace {

class StripeEmulatorPaymentIntents : public StripeEmulatorFixture {};

}  // namespace

TEST_F(StripeEmulatorPaymentIntents, CreateAndRetrieve) {
  auto created = post("/v1/payment_intents",
                      "amount=2000&currency=USD&metadata[order_id]=o-1&automatic_payment_methods[enabled]=true&"
                      "description=Order+o-1");
  ASSERT_EQ(created.status, 200) << created.raw.body;
  EXPECT_EQ(created.header("Content-Type"), "application/json");
  EXPECT_TRUE(matches(created.header("Request-Id"), "req_[A-Za-z0-9]{14}"));
  EXPECT_EQ(created.header("Stripe-Version"), "2024-06-20");
  auto id = created.text("id");
  EXPECT_TRUE(matches(id, "pi_[A-Za-z0-9]{24}")) << id;
  EXPECT_TRUE(matches(created.text("client_secret"), id + "_secret_[A-Za-z0-9]{25}"));
  EXPECT_EQ(created.text("object"), "payment_intent");
  EXPECT_EQ(created.json.at("amount"), 2000);
  EXPECT_EQ(created.json.at("amount_received"), 0);
  EXPECT_EQ(created.text("currency"), "usd");
  EXPECT_EQ(created.text("status"), "requires_payment_method");
  EXPECT_EQ(created.text("description"), "Order o-1");
  EXPECT_EQ(created.json.at("metadata"), (boost::json::object{{"order_id", "o-1"}}));
  EXPECT_EQ(created.json.at("automatic_payment_methods").at("enabled"), true);
  EXPECT_EQ(created.json.at("created"), now_seconds());
  EXPECT_EQ(created.json.at("livemode"), false);
  EXPECT_TRUE(created.json.at("latest_charge").is_null());

  auto fetched = get("/v1/payment_intents/" + id);
  ASSERT_EQ(fetched.status, 200);
  EXPECT_EQ(fetched.json, created.json);
  EXPECT_NE(fetched.header("Request-Id"), created.header("Request-Id"));
  emulator_->deliver_due();
  EXPECT_EQ(webhooks_.types(), (std::vector<std::string>{"payment_intent.created"}));
}

TEST_F(StripeEmulatorPaymentIntents, CreateValidatesAmountAndCurrency) {
  auto missing = post("/v1/payment_intents", "currency=usd");
  EXPECT_EQ(missing.status, 400);
  EXPECT_EQ(missing.error("type"), "invalid_request_error");
  EXPECT_EQ(missing.error("code"), "parameter_missing");
  EXPECT_EQ(missing.error("param"), "amount");
  auto not_integer = post("/v1/payment_intents", "amount=12.5&currency=usd");
  EXPECT_EQ(not_integer.error("code"), "parameter_invalid_integer");
  EXPECT_EQ(not_integer.error("param"), "amount");
  EXPECT_EQ(post("/v1/payment_intents", "amount=0&currency=usd").error("param"), "amount");
  EXPECT_EQ(post("/v1/payment_intents", "amount=100").error("param"), "currency");
  auto bad_currency = post("/v1/payment_intents", "amount=100&currency=xyz");
  EXPECT_EQ(bad_currency.status, 400);
  EXPECT_EQ(bad_currency.error("param"), "currency");
  EXPECT_EQ(emulator_->pending_webhooks(), 0u) << "a refused request creates nothing";
}

TEST_F(StripeEmulatorPaymentIntents, UnknownIntentIs404InStripesShape) {
  auto reply = get("/v1/payment_intents/pi_missing");
  EXPECT_EQ(reply.status, 404);
  EXPECT_EQ(reply.error("type"), "invalid_request_error");
  EXPECT_EQ(reply.error("code"), "resource_missing");
  EXPECT_EQ(reply.error("param"), "intent");
  EXPECT_EQ(reply.error("message"), "No such payment_intent: 'pi_missing'");
  EXPECT_EQ(post("/v1/payment_intents/pi_missing/confirm", "payment_method=pm_card_visa").status, 404);
}

TEST_F(StripeEmulatorPaymentIntents, ConfirmWithVisaSucceedsAndMakesACharge) {
  auto id = create_intent(1500, "&metadata[order_id]=o-9");
  auto confirmed = post("/v1/payment_intents/" + id + "/confirm", "payment_method=pm_card_visa");
  ASSERT_EQ(confirmed.status, 200) << confirmed.raw.body;
  EXPECT_EQ(confirmed.text("status"), "succeeded");
  EXPECT_EQ(confirmed.json.at("amount_received"), 1500);
  EXPECT_TRUE(matches(confirmed.text("payment_method"), "pm_[A-Za-z0-9]{24}")) << "a test token becomes a PaymentMethod";
  auto charge_id = confirmed.text("latest_charge");
  ASSERT_TRUE(matches(charge_id, "ch_[A-Za-z0-9]{24}"));

  auto charge = get("/v1/charges/" + charge_id);
  ASSERT_EQ(charge.status, 200);
  EXPECT_EQ(charge.text("status"), "succeeded");
  EXPECT_EQ(charge.json.at("paid"), true);
  EXPECT_EQ(charge.json.at("amount"), 1500);
  EXPECT_EQ(charge.json.at("amount_refunded"), 0);
  EXPECT_EQ(charge.text("payment_intent"), id);
  EXPECT_EQ(charge.json.at("payment_method_details").at("card").at("brand"), "visa");
  EXPECT_EQ(charge.json.at("payment_method_details").at("card").at("last4"), "4242");
  EXPECT_EQ(charge.json.at("metadata").at("order_id"), "o-9");
  EXPECT_EQ(get("/v1/payment_methods/" + confirmed.text("payment_method")).json.at("card").at("brand"), "visa");

  emulator_->deliver_due();
  EXPECT_EQ(webhooks_.types(),
            (std::vector<std::string>{"payment_intent.created", "charge.succeeded", "payment_intent.succeeded"}));
}

TEST_F(StripeEmulatorPaymentIntents, OtherSucceedingCards) {
  for (auto [method, brand] : {std::pair{"pm_card_mastercard", "mastercard"}, std::pair{"pm_card_amex", "amex"}}) {
    auto id = paid_intent(700, method);
    auto charge = get("/v1/charges/" + get("/v1/payment_intents/" + id).text("latest_charge"));
    EXPECT_EQ(charge.json.at("payment_method_details").at("card").at("brand"), brand);
  }
}

TEST_F(StripeEmulatorPaymentIntents, PaymentMethodAtCreationNeedsConfirmationThenUsesIt) {
  auto created = post("/v1/payment_intents", "amount=900&currency=eur&payment_method=pm_card_visa");
  ASSERT_EQ(created.status, 200);
  EXPECT_EQ(created.text("status"), "requires_confirmation");
  auto confirmed = post("/v1/payment_intents/" + created.text("id") + "/confirm");
  EXPECT_EQ(confirmed.status, 200) << confirmed.raw.body;
  EXPECT_EQ(confirmed.text("status"), "succeeded");
  EXPECT_EQ(confirmed.text("payment_method"), created.text("payment_method"));
}

TEST_F(StripeEmulatorPaymentIntents, ConfirmTrueAtCreation) {
  auto reply = post("/v1/payment_intents", "amount=900&currency=usd&payment_method=pm_card_visa&confirm=true");
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(reply.text("status"), "succeeded");
  auto declined = post("/v1/payment_intents", "amount=900&currency=usd&payment_method=pm_card_chargeDeclined&confirm=true");
  EXPECT_EQ(declined.status, 402);
  EXPECT_EQ(declined.json.at("error").at("payment_intent").at("status"), "requires_payment_method");
}

TEST_F(StripeEmulatorPaymentIntents, DeclineHasStripesShapeAndSetsLastPaymentError) {
  auto id = create_intent(1200);
  auto declined = post("/v1/payment_intents/" + id + "/confirm", "payment_method=pm_card_chargeDeclined");
  ASSERT_EQ(declined.status, 402) << declined.raw.body;
  EXPECT_EQ(declined.error("type"), "card_error");
  EXPECT_EQ(declined.error("code"), "card_declined");
  EXPECT_EQ(declined.error("decline_code"), "generic_decline");
  EXPECT_EQ(declined.error("message"), "Your card was declined.");
  auto charge_id = declined.error("charge");
  EXPECT_TRUE(matches(charge_id, "ch_[A-Za-z0-9]{24}"));
  const auto& intent = declined.json.at("error").at("payment_intent").as_object();
  EXPECT_EQ(str(intent.at("id")), id);
  EXPECT_EQ(intent.at("status"), "requires_payment_method");
  EXPECT_EQ(str(intent.at("latest_charge")), charge_id);
  const auto& last_error = intent.at("last_payment_error").as_object();
  EXPECT_EQ(last_error.at("type"), "card_error");
  EXPECT_EQ(last_error.at("code"), "card_declined");
  EXPECT_EQ(last_error.at("decline_code"), "generic_decline");
  EXPECT_EQ(str(last_error.at("charge")), charge_id);
  EXPECT_FALSE(last_error.contains("payment_intent"));
  auto without_intent = declined.json.at("error").as_object();
  without_intent.erase("payment_intent");
  EXPECT_EQ(last_error, without_intent) << "the same error object";
  EXPECT_EQ(last_error.at("payment_method").at("card").at("last4"), "0002");

  auto fetched = get("/v1/payment_intents/" + id);
  EXPECT_EQ(fetched.text("status"), "requires_payment_method");
  EXPECT_EQ(fetched.json.at("last_payment_error"), last_error);
  EXPECT_EQ(fetched.json.at("amount_received"), 0);
  auto charge = get("/v1/charges/" + charge_id);
  EXPECT_EQ(charge.text("status"), "failed");
  EXPECT_EQ(charge.text("failure_code"), "card_declined");

  emulator_->deliver_due();
  EXPECT_EQ(webhooks_.types(), (std::vector<std::string>{"payment_intent.created", "payment_intent.payment_failed"}));
  auto event = boost::json::parse(webhooks_.calls().back().body);
  EXPECT_EQ(event.at("data").at("object").at("last_payment_error").at("decline_code"), "generic_decline");
}

TEST_F(StripeEmulatorPaymentIntents, InsufficientFundsDecline) {
  auto id = create_intent();
  auto declined = post("/v1/payment_intents/" + id + "/confirm", "payment_method=pm_card_chargeDeclinedInsufficientFunds");
  EXPECT_EQ(declined.status, 402);
  EXPECT_EQ(declined.error("code"), "card_declined");
  EXPECT_EQ(declined.error("decline_code"), "insufficient_funds");
}

TEST_F(StripeEmulatorPaymentIntents, RetryAfterDeclineSucceedsOnTheSameIntent) {
  auto id = create_intent(1100);
  auto declined = post("/v1/payment_intents/" + id + "/confirm", "payment_method=pm_card_chargeDeclined");
  ASSERT_EQ(declined.status, 402);
  auto retried = post("/v1/payment_intents/" + id + "/confirm", "payment_method=pm_card_visa");
  ASSERT_EQ(retried.status, 200) << retried.raw.body;
  EXPECT_EQ(retried.text("id"), id);
  EXPECT_EQ(retried.text("status"), "succeeded");
  EXPECT_TRUE(retried.json.at("last_payment_error").is_null());
  EXPECT_NE(retried.text("latest_charge"), declined.error("charge"));
  EXPECT_EQ(retried.json.at("amount_received"), 1100);
}

TEST_F(StripeEmulatorPaymentIntents, UnknownPaymentMethodIs400) {
  auto id = create_intent();
  auto reply = post("/v1/payment_intents/" + id + "/confirm", "payment_method=pm_card_bogus");
  EXPECT_EQ(reply.status, 400);
  EXPECT_EQ(reply.error("code"), "resource_missing");
  EXPECT_EQ(reply.error("param"), "payment_method");
  EXPECT_EQ(get("/v1/payment_intents/" + id).text("status"), "requires_payment_method");
  auto without = post("/v1/payment_intents/" + id + "/confirm");
  EXPECT_EQ(without.status, 400) << "nothing to confirm with";
}

TEST_F(StripeEmulatorPaymentIntents, ConfirmingASucceededOrCanceledIntentIsUnexpectedState) {
  auto paid = paid_intent();
  auto again = post("/v1/payment_intents/" + paid + "/confirm", "payment_method=pm_card_visa");
  EXPECT_EQ(again.status, 400);
  EXPECT_EQ(again.error("type"), "invalid_request_error");
  EXPECT_EQ(again.error("code"), "payment_intent_unexpected_state");
  EXPECT_EQ(again.error("message").rfind("You cannot confirm this PaymentIntent because it has a status of succeeded.", 0), 0u)
      << again.error("message");
  auto canceled = create_intent();
  ASSERT_EQ(post("/v1/payment_intents/" + canceled + "/cancel").status, 200);
  auto after_cancel = post("/v1/payment_intents/" + canceled + "/confirm", "payment_method=pm_card_visa");
  EXPECT_EQ(after_cancel.error("code"), "payment_intent_unexpected_state");
  EXPECT_NE(after_cancel.error("message").find("status of canceled"), std::string::npos);
}

TEST_F(StripeEmulatorPaymentIntents, Cancel) {
  auto id = create_intent();
  clock_.advance(std::chrono::seconds{30});
  auto canceled = post("/v1/payment_intents/" + id + "/cancel", "cancellation_reason=abandoned");
  ASSERT_EQ(canceled.status, 200) << canceled.raw.body;
  EXPECT_EQ(canceled.text("status"), "canceled");
  EXPECT_EQ(canceled.text("cancellation_reason"), "abandoned");
  EXPECT_EQ(canceled.json.at("canceled_at"), now_seconds());
  auto with_method = post("/v1/payment_intents", "amount=100&currency=usd&payment_method=pm_card_visa");
  EXPECT_EQ(post("/v1/payment_intents/" + with_method.text("id") + "/cancel").text("status"), "canceled");
  EXPECT_EQ(post("/v1/payment_intents/" + create_intent() + "/cancel", "cancellation_reason=bored").error("param"),
            "cancellation_reason");

  auto paid = paid_intent();
  auto refused = post("/v1/payment_intents/" + paid + "/cancel");
  EXPECT_EQ(refused.status, 400);
  EXPECT_EQ(refused.error("code"), "payment_intent_unexpected_state");
  EXPECT_EQ(get("/v1/payment_intents/" + paid).text("status"), "succeeded");

  emulator_->deliver_due();
  auto types = webhooks_.types();
  EXPECT_EQ(std::count(types.begin(), types.end(), "payment_intent.canceled"), 2);
}

TEST_F(StripeEmulatorPaymentIntents, ExpandLatestCharge) {
  auto id = paid_intent();
  // Stripe's libraries percent-encode brackets in a query (http::Server refuses literal ones:
  // RFC 3986 does not allow them there).
  auto expanded = call("GET", "/v1/payment_intents/" + id + "?expand%5B%5D=latest_charge");
  ASSERT_EQ(expanded.status, 200) << expanded.raw.body;
  EXPECT_EQ(expanded.json.at("latest_charge").at("object"), "charge");
  auto bad = call("GET", "/v1/payment_intents/" + id + "?expand%5B%5D=customer");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.error("param"), "expand");
}
