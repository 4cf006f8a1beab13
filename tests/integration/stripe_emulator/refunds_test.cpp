// Refunds over a real socket: partial, full, too large, already refunded, refundFail.

#include "integration/stripe_emulator/emulator_fixture.hpp"

using mercato::test::str;
using mercato::test::StripeEmulatorFixture;

namespace {

class StripeEmulatorRefunds : public StripeEmulatorFixture {
 protected:
  std::string charge_of(const std::string& intent_id) { return get("/v1/payment_intents/" + intent_id).text("latest_charge"); }
};

}  // namespace

TEST_F(StripeEmulatorRefunds, PartialThenTheRestThenNothingLeft) {
  auto intent = paid_intent(1000);
  auto charge_id = charge_of(intent);
  auto partial = post("/v1/refunds", "payment_intent=" + intent + "&amount=300&metadata[refund_id]=r-1");
  ASSERT_EQ(partial.status, 200) << partial.raw.body;
  EXPECT_TRUE(matches(partial.text("id"), "re_[A-Za-z0-9]{24}"));
  EXPECT_EQ(partial.text("object"), "refund");
  EXPECT_EQ(partial.json.at("amount"), 300);
  EXPECT_EQ(partial.text("charge"), charge_id);
  EXPECT_EQ(partial.text("currency"), "usd");
  EXPECT_EQ(partial.text("payment_intent"), intent);
  EXPECT_EQ(partial.text("status"), "succeeded");
  EXPECT_TRUE(partial.json.at("reason").is_null());
  EXPECT_TRUE(partial.json.at("failure_reason").is_null());
  EXPECT_EQ(partial.json.at("metadata").at("refund_id"), "r-1");
  EXPECT_EQ(partial.json.at("created"), now_seconds());
  auto charge = get("/v1/charges/" + charge_id);
  EXPECT_EQ(charge.json.at("amount_refunded"), 300);
  EXPECT_EQ(charge.json.at("refunded"), false);

  auto rest = post("/v1/refunds", "payment_intent=" + intent);
  ASSERT_EQ(rest.status, 200) << rest.raw.body;
  EXPECT_EQ(rest.json.at("amount"), 700);
  charge = get("/v1/charges/" + charge_id);
  EXPECT_EQ(charge.json.at("amount_refunded"), 1000);
  EXPECT_EQ(charge.json.at("refunded"), true);

  auto again = post("/v1/refunds", "payment_intent=" + intent + "&amount=1");
  EXPECT_EQ(again.status, 400);
  EXPECT_EQ(again.error("type"), "invalid_request_error");
  EXPECT_EQ(again.error("code"), "charge_already_refunded");

  emulator_->deliver_due();
  auto types = webhooks_.types();
  ASSERT_EQ(types.size(), 7u);
  EXPECT_EQ(std::vector<std::string>(types.begin() + 3, types.end()),
            (std::vector<std::string>{"refund.created", "charge.refunded", "refund.created", "charge.refunded"}));
  auto refunded_event = boost::json::parse(webhooks_.calls()[4].body);
  const auto& refunded_charge = refunded_event.at("data").at("object").as_object();
  EXPECT_EQ(refunded_charge.at("object"), "charge");
  EXPECT_EQ(str(refunded_charge.at("payment_intent")), intent);
  EXPECT_EQ(refunded_charge.at("amount"), 1000);
  EXPECT_EQ(refunded_charge.at("amount_refunded"), 300);
  EXPECT_EQ(refunded_charge.at("refunded"), false);
  EXPECT_FALSE(refunded_charge.contains("refunds")) << "current API versions do not list a charge's refunds";
}

TEST_F(StripeEmulatorRefunds, MoreThanTheRemainderIsAmountTooLarge) {
  auto intent = paid_intent(1000);
  ASSERT_EQ(post("/v1/refunds", "payment_intent=" + intent + "&amount=600").status, 200);
  auto too_large = post("/v1/refunds", "payment_intent=" + intent + "&amount=500");
  EXPECT_EQ(too_large.status, 400);
  EXPECT_EQ(too_large.error("code"), "amount_too_large");
  EXPECT_EQ(too_large.error("param"), "amount");
  EXPECT_EQ(too_large.error("message"), "Refund amount ($5.00) is greater than unrefunded amount on charge ($4.00)");
  EXPECT_EQ(get("/v1/charges/" + charge_of(intent)).json.at("amount_refunded"), 600);
  EXPECT_EQ(post("/v1/refunds", "payment_intent=" + intent + "&amount=0").error("code"), "parameter_invalid_integer");
}

TEST_F(StripeEmulatorRefunds, ByChargeId) {
  auto intent = paid_intent(500);
  auto refund = post("/v1/refunds", "charge=" + charge_of(intent) + "&reason=requested_by_customer");
  ASSERT_EQ(refund.status, 200) << refund.raw.body;
  EXPECT_EQ(refund.text("payment_intent"), intent);
  EXPECT_EQ(refund.text("reason"), "requested_by_customer");
  EXPECT_EQ(refund.json.at("amount"), 500);
}

TEST_F(StripeEmulatorRefunds, RefusedBeforeThePaymentSucceeded) {
  auto unpaid = create_intent();
  auto reply = post("/v1/refunds", "payment_intent=" + unpaid);
  EXPECT_EQ(reply.status, 400);
  EXPECT_EQ(reply.error("code"), "charge_not_refundable");
  auto unknown = post("/v1/refunds", "payment_intent=pi_nope");
  EXPECT_EQ(unknown.status, 400);
  EXPECT_EQ(unknown.error("code"), "resource_missing");
  EXPECT_EQ(unknown.error("param"), "payment_intent");
  EXPECT_EQ(post("/v1/refunds", "amount=100").error("param"), "payment_intent");
}

TEST_F(StripeEmulatorRefunds, ReasonMustBeOneOfStripes) {
  auto intent = paid_intent();
  auto reply = post("/v1/refunds", "payment_intent=" + intent + "&reason=changed_my_mind");
  EXPECT_EQ(reply.status, 400);
  EXPECT_EQ(reply.error("code"), "parameter_invalid");
  EXPECT_EQ(reply.error("param"), "reason");
  for (auto reason : {"duplicate", "fraudulent"})
    EXPECT_EQ(post("/v1/refunds", "payment_intent=" + intent + "&amount=1&reason=" + reason).status, 200);
}

TEST_F(StripeEmulatorRefunds, RetrieveAndUnknown) {
  auto intent = paid_intent();
  auto created = post("/v1/refunds", "payment_intent=" + intent);
  auto fetched = get("/v1/refunds/" + created.text("id"));
  EXPECT_EQ(fetched.status, 200);
  EXPECT_EQ(fetched.json, created.json);
  auto missing = get("/v1/refunds/re_nope");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.error("code"), "resource_missing");
  EXPECT_EQ(missing.error("param"), "refund");
  EXPECT_EQ(missing.error("message"), "No such refund: 're_nope'");
}

TEST_F(StripeEmulatorRefunds, RefundFailCardRefundIsPendingThenFailsAtTheNextDelivery) {
  auto intent = paid_intent(800, "pm_card_refundFail");
  auto charge_id = charge_of(intent);
  auto refund = post("/v1/refunds", "payment_intent=" + intent);
  ASSERT_EQ(refund.status, 200) << refund.raw.body;
  EXPECT_EQ(refund.text("status"), "pending");
  EXPECT_EQ(get("/v1/refunds/" + refund.text("id")).text("status"), "pending");
  EXPECT_EQ(get("/v1/charges/" + charge_id).json.at("amount_refunded"), 800);

  emulator_->deliver_due();
  auto failed = get("/v1/refunds/" + refund.text("id"));
  EXPECT_EQ(failed.text("status"), "failed");
  EXPECT_EQ(failed.text("failure_reason"), "declined");
  auto charge = get("/v1/charges/" + charge_id);
  EXPECT_EQ(charge.json.at("amount_refunded"), 0);
  EXPECT_EQ(charge.json.at("refunded"), false);
  EXPECT_EQ(webhooks_.types(),
            (std::vector<std::string>{"payment_intent.created", "charge.succeeded", "payment_intent.succeeded",
                                      "refund.created", "charge.refunded", "refund.updated", "refund.failed"}));
  auto updated = boost::json::parse(webhooks_.calls()[5].body);
  EXPECT_EQ(updated.at("data").at("object").at("status"), "failed");
  EXPECT_EQ(updated.at("data").at("previous_attributes").at("status"), "pending");
  EXPECT_TRUE(updated.at("request").at("id").is_null()) << "no API request caused it";

  auto again = post("/v1/refunds", "payment_intent=" + intent + "&amount=100");
  EXPECT_EQ(again.status, 200) << "the failed amount can be refunded again";
}
