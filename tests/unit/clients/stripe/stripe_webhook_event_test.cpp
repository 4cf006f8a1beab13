#include <gtest/gtest.h>

#include <string>

#include "clients/stripe/webhook_event.hpp"
#include "clients/stripe/webhook_signature.hpp"
#include "stripe_fakes.hpp"

using namespace mercato;
using namespace mercato::testing;
using mercato::clients::stripe::parse_event;
using mercato::clients::stripe::sign_webhook;
using Type = domain::GatewayEvent::Type;

namespace {

// Fixtures modelled on Stripe's documented objects (https://docs.stripe.com/api/events/object,
// .../payment_intents/object, .../charges/object, .../refunds/object), trimmed of fields we never read.
std::string event(std::string_view id, std::string_view type, std::string_view object) {
  return R"({"id": ")" + std::string(id) + R"(", "object": "event", "api_version": "2024-06-20",
  "created": 1795564790, "livemode": false, "pending_webhooks": 1,
  "request": {"id": "req_vHcXKd1dKhxFEu", "idempotency_key": "payment-0190-create"},
  "type": ")" +
         std::string(type) + R"(", "data": {"object": )" + std::string(object) + "}}";
}

const std::string succeeded_intent = R"({
  "id": "pi_3MtwBwLkdIwHu7ix28a3tqPa", "object": "payment_intent",
  "amount": 2000, "amount_capturable": 0, "amount_received": 1990,
  "automatic_payment_methods": {"enabled": true}, "capture_method": "automatic_async",
  "client_secret": "pi_3MtwBwLkdIwHu7ix28a3tqPa_secret_YrKJUKribcBjcG8HVhfZluoGH",
  "currency": "usd", "latest_charge": "ch_3MtwBwLkdIwHu7ix0snN0B15", "last_payment_error": null,
  "livemode": false, "metadata": {"order_id": "0190-order", "payment_id": "0190-payment"},
  "payment_method": "pm_1MtwBwLkdIwHu7ixsmeqjh7o", "status": "succeeded"})";

const std::string failed_intent = R"({
  "id": "pi_3Failed", "object": "payment_intent", "amount": 2000, "amount_received": 0,
  "currency": "usd", "latest_charge": {"id": "ch_3Declined", "object": "charge", "status": "failed"},
  "last_payment_error": {
    "charge": "ch_3Declined", "code": "card_declined", "decline_code": "insufficient_funds",
    "doc_url": "https://stripe.com/docs/error-codes/card-declined",
    "message": "Your card has insufficient funds.",
    "payment_method": {"id": "pm_1Declined", "object": "payment_method", "type": "card"},
    "type": "card_error"},
  "metadata": {"order_id": "0190-order", "payment_id": "0190-payment"},
  "status": "requires_payment_method"})";

const std::string canceled_intent = R"({
  "id": "pi_3Canceled", "object": "payment_intent", "amount": 2000, "amount_received": 0,
  "canceled_at": 1795564700, "cancellation_reason": "abandoned", "currency": "usd",
  "latest_charge": null, "last_payment_error": null,
  "metadata": {"order_id": "0190-order", "payment_id": "0190-payment"}, "status": "canceled"})";

const std::string refunded_charge = R"({
  "id": "ch_3MtwBwLkdIwHu7ix0snN0B15", "object": "charge", "amount": 2000, "amount_captured": 2000,
  "amount_refunded": 1500, "captured": true, "currency": "usd",
  "metadata": {"order_id": "0190-order", "payment_id": "0190-payment"},
  "paid": true, "payment_intent": "pi_3MtwBwLkdIwHu7ix28a3tqPa", "refunded": false,
  "refunds": {"object": "list", "data": [], "has_more": false, "url": "/v1/charges/ch_3MtwBwLkdIwHu7ix0snN0B15/refunds"},
  "status": "succeeded"})";

std::string refund(std::string_view status, std::string_view failure_reason = "null") {
  return R"({"id": "re_3MtwBwLkdIwHu7ix1qS4ppsM", "object": "refund", "amount": 1500,
    "balance_transaction": "txn_1", "charge": "ch_3MtwBwLkdIwHu7ix0snN0B15", "created": 1795564780,
    "currency": "usd", "failure_reason": )" +
         std::string(failure_reason) + R"(,
    "metadata": {"refund_id": "0190-refund", "payment_id": "0190-payment"},
    "payment_intent": "pi_3MtwBwLkdIwHu7ix28a3tqPa", "reason": null, "status": ")" +
         std::string(status) + R"("})";
}

}  // namespace

TEST(StripeWebhookEvent, PaymentIntentSucceeded) {
  auto e = parse_event(event("evt_1Succeeded", "payment_intent.succeeded", succeeded_intent));
  EXPECT_EQ(e.id, "evt_1Succeeded");
  EXPECT_EQ(e.type_name, "payment_intent.succeeded");
  EXPECT_EQ(e.type, Type::intent_succeeded);
  EXPECT_EQ(e.created, 1795564790);
  EXPECT_EQ(e.intent_id, "pi_3MtwBwLkdIwHu7ix28a3tqPa");
  EXPECT_EQ(e.payment_id, "0190-payment");
  EXPECT_EQ(e.charge_id, "ch_3MtwBwLkdIwHu7ix0snN0B15");
  EXPECT_EQ(e.amount, 1990) << "amount_received, not amount";
  EXPECT_EQ(e.failure_code, std::nullopt);
  EXPECT_EQ(e.refund, std::nullopt);
}

TEST(StripeWebhookEvent, PaymentIntentPaymentFailedPrefersTheDeclineCode) {
  auto e = parse_event(event("evt_2Failed", "payment_intent.payment_failed", failed_intent));
  EXPECT_EQ(e.type, Type::intent_failed);
  EXPECT_EQ(e.intent_id, "pi_3Failed");
  EXPECT_EQ(e.payment_id, "0190-payment");
  EXPECT_EQ(e.charge_id, "ch_3Declined") << "expanded latest_charge";
  EXPECT_EQ(e.amount, 2000);
  EXPECT_EQ(e.failure_code, "insufficient_funds");
  EXPECT_EQ(e.failure_message, "Your card has insufficient funds.");

  auto without_decline = replaced(replaced(failed_intent, R"("decline_code": "insufficient_funds",)", ""),
                                  "card_declined", "expired_card");
  EXPECT_EQ(parse_event(event("evt_3", "payment_intent.payment_failed", without_decline)).failure_code, "expired_card");
}

TEST(StripeWebhookEvent, PaymentIntentCanceled) {
  auto e = parse_event(event("evt_4Canceled", "payment_intent.canceled", canceled_intent));
  EXPECT_EQ(e.type, Type::intent_canceled);
  EXPECT_EQ(e.intent_id, "pi_3Canceled");
  EXPECT_EQ(e.payment_id, "0190-payment");
  EXPECT_EQ(e.charge_id, std::nullopt);
  EXPECT_EQ(e.amount, 2000);
}

TEST(StripeWebhookEvent, ChargeRefunded) {
  auto e = parse_event(event("evt_5Refunded", "charge.refunded", refunded_charge));
  EXPECT_EQ(e.type, Type::charge_refunded);
  EXPECT_EQ(e.intent_id, "pi_3MtwBwLkdIwHu7ix28a3tqPa");
  EXPECT_EQ(e.charge_id, "ch_3MtwBwLkdIwHu7ix0snN0B15");
  EXPECT_EQ(e.amount, 1500) << "amount_refunded so far";
  EXPECT_EQ(e.payment_id, "0190-payment");

  auto without_metadata =
      replaced(refunded_charge, R"({"order_id": "0190-order", "payment_id": "0190-payment"})", "{}");
  EXPECT_EQ(parse_event(event("evt_6", "charge.refunded", without_metadata)).payment_id, std::nullopt);
}

TEST(StripeWebhookEvent, RefundEventsCarryTheRefund) {
  for (auto type : {"refund.created", "refund.updated", "charge.refund.updated"}) {
    auto e = parse_event(event("evt_7Refund", type, refund("succeeded")));
    EXPECT_EQ(e.type, Type::refund_updated) << type;
    EXPECT_EQ(e.type_name, type);
    ASSERT_TRUE(e.refund) << type;
    EXPECT_EQ(e.refund->id, "re_3MtwBwLkdIwHu7ix1qS4ppsM");
    EXPECT_EQ(e.refund->status, "succeeded");
    EXPECT_EQ(e.refund->amount, 1500);
    EXPECT_EQ(e.refund->failure_reason, std::nullopt);
    EXPECT_EQ(e.intent_id, "pi_3MtwBwLkdIwHu7ix28a3tqPa");
    EXPECT_EQ(e.charge_id, "ch_3MtwBwLkdIwHu7ix0snN0B15");
    EXPECT_EQ(e.payment_id, "0190-payment");
  }
  auto failed = parse_event(event("evt_8RefundFailed", "refund.failed", refund("failed", R"("lost_or_stolen_card")")));
  EXPECT_EQ(failed.type, Type::refund_updated);
  ASSERT_TRUE(failed.refund);
  EXPECT_EQ(failed.refund->status, "failed");
  EXPECT_EQ(failed.refund->failure_reason, "lost_or_stolen_card");
}

TEST(StripeWebhookEvent, AnUnknownTypeIsOther) {
  auto e = parse_event(event("evt_9Customer", "customer.created",
                             R"({"id": "cus_NffrFeUfNV2Hib", "object": "customer", "email": "a@example.com"})"));
  EXPECT_EQ(e.type, Type::other);
  EXPECT_EQ(e.type_name, "customer.created");
  EXPECT_EQ(e.id, "evt_9Customer");
  EXPECT_EQ(e.intent_id, std::nullopt);
  // Close to a mapped name is still other.
  EXPECT_EQ(parse_event(event("evt_10", "payment_intent.created", canceled_intent)).type, Type::other);
  EXPECT_EQ(parse_event(event("evt_11", "PAYMENT_INTENT.SUCCEEDED", succeeded_intent)).type, Type::other);
}

TEST(StripeWebhookEvent, RefusesMalformedEvents) {
  for (std::string body : {std::string("{"), std::string("not json"), std::string(""), std::string("[]"),
                           std::string(R"({"type": "payment_intent.succeeded", "data": {"object": {}}})"),
                           std::string(R"({"id": "evt_1", "data": {"object": {}}})"),
                           std::string(R"({"id": "evt_1", "type": "charge.refunded", "data": {}})"),
                           std::string(R"({"id": "evt_1", "type": "charge.refunded", "data": {"object": "ch_1"}})"),
                           std::string(R"({"id": 7, "type": "charge.refunded", "data": {"object": {}}})"),
                           std::string(R"({"id": "evt_1", "type": "x", "data": {"object": {}}} trailing)")}) {
    try {
      parse_event(body);
      ADD_FAILURE() << "accepted " << body;
    } catch (const domain::WebhookRejected& e) {
      EXPECT_STREQ(e.what(), "malformed event") << body;
    }
  }
}

TEST(StripeGatewayWebhook, ReadsASignedEvent) {
  GatewayRig rig;
  auto body = event("evt_1Succeeded", "payment_intent.succeeded", succeeded_intent);
  auto now = std::chrono::duration_cast<std::chrono::seconds>(rig.clock.now().time_since_epoch()).count();
  auto signature = sign_webhook(test_webhook_secret, now - 5, body);
  auto header = [&](std::string_view name) -> std::optional<std::string> {
    if (name == "Stripe-Signature") return signature;
    return std::nullopt;
  };
  auto e = rig.gateway.read_webhook(header, body);
  EXPECT_EQ(e.id, "evt_1Succeeded");
  EXPECT_EQ(e.type, Type::intent_succeeded);
  EXPECT_TRUE(rig.http.calls.empty());
}

TEST(StripeGatewayWebhook, RefusesBeforeParsingAndSaysWhy) {
  auto options = GatewayRig::default_options();
  options.webhook_secrets = {"whsec_current", "whsec_previous"};
  GatewayRig rig(options);
  auto now = std::chrono::duration_cast<std::chrono::seconds>(rig.clock.now().time_since_epoch()).count();
  auto body = event("evt_1", "payment_intent.succeeded", succeeded_intent);
  auto rejection = [&](std::optional<std::string> signature, const std::string& raw) -> std::string {
    try {
      rig.gateway.read_webhook([&](std::string_view) { return signature; }, raw);
    } catch (const domain::WebhookRejected& e) {
      return e.what();
    }
    return "accepted";
  };
  EXPECT_EQ(rejection(std::nullopt, body), "missing");
  EXPECT_EQ(rejection("", body), "missing");
  EXPECT_EQ(rejection("t=abc,v1=00", body), "malformed");
  EXPECT_EQ(rejection(sign_webhook("whsec_current", now - 301, body), body), "stale");
  EXPECT_EQ(rejection(sign_webhook("whsec_unknown", now, body), body), "no_match");
  EXPECT_EQ(rejection(sign_webhook("whsec_current", now, body), body + "\n"), "no_match");
  EXPECT_EQ(rejection(sign_webhook("whsec_previous", now, body), body), "accepted") << "rotation";
  EXPECT_EQ(rejection(sign_webhook("whsec_current", now, "{oops"), "{oops"), "malformed event");
}
