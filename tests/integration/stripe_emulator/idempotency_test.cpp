// Idempotency-Key over a real socket: replays, mismatches, saved errors, scope, expiry, races.

#include <set>
#include <thread>

#include "integration/stripe_emulator/emulator_fixture.hpp"

using mercato::test::StripeEmulatorFixture;

namespace {

class StripeEmulatorIdempotency : public StripeEmulatorFixture {
 protected:
  mercato::test::StripeReply create(const std::string& key, const std::string& body = "amount=1000&currency=usd") {
    return post("/v1/payment_intents", body, {{"Idempotency-Key", key}});
  }
  std::size_t delivered_events() {
    emulator_->deliver_due();
    return webhooks_.calls().size();
  }
};

}  // namespace

TEST_F(StripeEmulatorIdempotency, SameKeyAndParamsReplaysWithoutSideEffects) {
  auto first = create("order-1-attempt");
  ASSERT_EQ(first.status, 200);
  EXPECT_EQ(first.header("Idempotent-Replayed"), "");
  auto second = create("order-1-attempt");
  EXPECT_EQ(second.status, 200);
  EXPECT_EQ(second.raw.body, first.raw.body);
  EXPECT_EQ(second.header("Idempotent-Replayed"), "true");
  EXPECT_EQ(second.header("Original-Request"), first.header("Request-Id"));
  EXPECT_NE(second.header("Request-Id"), first.header("Request-Id"));
  // Parameters in another order are the same request.
  auto reordered = create("order-1-attempt", "currency=usd&amount=1000");
  EXPECT_EQ(reordered.raw.body, first.raw.body);
  EXPECT_EQ(delivered_events(), 1u) << "one object, one event";
  auto event = boost::json::parse(webhooks_.calls()[0].body);
  EXPECT_EQ(event.at("request").at("idempotency_key"), "order-1-attempt");
}

TEST_F(StripeEmulatorIdempotency, SameKeyWithOtherParamsIsRefused) {
  ASSERT_EQ(create("k-1").status, 200);
  auto other = create("k-1", "amount=2000&currency=usd");
  EXPECT_EQ(other.status, 400);
  EXPECT_EQ(other.error("type"), "idempotency_error");
  EXPECT_EQ(other.error("message").rfind("Keys for idempotent requests can only be used with the same parameters "
                                         "they were first used with.",
                                         0),
            0u);
  auto other_path = post("/v1/refunds", "payment_intent=pi_x", {{"Idempotency-Key", "k-1"}});
  EXPECT_EQ(other_path.error("type"), "idempotency_error");
  EXPECT_EQ(delivered_events(), 1u);
}

TEST_F(StripeEmulatorIdempotency, DeclinesAndOtherErrorsAreReplayed) {
  auto id = create_intent();
  auto path = "/v1/payment_intents/" + id + "/confirm";
  auto declined = post(path, "payment_method=pm_card_chargeDeclined", {{"Idempotency-Key", "confirm-1"}});
  ASSERT_EQ(declined.status, 402);
  auto replayed = post(path, "payment_method=pm_card_chargeDeclined", {{"Idempotency-Key", "confirm-1"}});
  EXPECT_EQ(replayed.status, 402);
  EXPECT_EQ(replayed.raw.body, declined.raw.body);
  EXPECT_EQ(replayed.header("Idempotent-Replayed"), "true");
  EXPECT_EQ(delivered_events(), 2u) << "created + one payment_failed";

  auto missing = post("/v1/refunds", "payment_intent=pi_gone", {{"Idempotency-Key", "refund-1"}});
  ASSERT_EQ(missing.status, 400);
  auto missing_again = post("/v1/refunds", "payment_intent=pi_gone", {{"Idempotency-Key", "refund-1"}});
  EXPECT_EQ(missing_again.header("Idempotent-Replayed"), "true");
}

TEST_F(StripeEmulatorIdempotency, RefusedParametersAreNotSaved) {
  auto refused = create("k-2", "currency=usd");
  EXPECT_EQ(refused.error("code"), "parameter_missing");
  auto fixed = create("k-2");
  EXPECT_EQ(fixed.status, 200) << "Stripe saves a result only once the endpoint ran";
  EXPECT_EQ(fixed.header("Idempotent-Replayed"), "");
}

TEST_F(StripeEmulatorIdempotency, KeysBelongToOneSecretKey) {
  auto mine = create("shared-key");
  auto theirs = call("POST", "/v1/payment_intents", "amount=1000&currency=usd", {{"Idempotency-Key", "shared-key"}},
                     "sk_test_someone_else_0000");
  ASSERT_EQ(theirs.status, 200);
  EXPECT_NE(theirs.text("id"), mine.text("id"));
  EXPECT_EQ(theirs.header("Idempotent-Replayed"), "");
}

TEST_F(StripeEmulatorIdempotency, KeysExpireAfter24Hours) {
  auto first = create("daily");
  clock_.advance(std::chrono::hours{23});
  EXPECT_EQ(create("daily").text("id"), first.text("id"));
  clock_.advance(std::chrono::hours{1});
  auto later = create("daily");
  EXPECT_EQ(later.status, 200);
  EXPECT_NE(later.text("id"), first.text("id"));
  EXPECT_EQ(later.header("Idempotent-Replayed"), "");
}

TEST_F(StripeEmulatorIdempotency, KeyLongerThan255IsRefused) {
  EXPECT_EQ(create(std::string(256, 'k')).status, 400);
  EXPECT_EQ(create(std::string(255, 'k')).status, 200);
}

TEST_F(StripeEmulatorIdempotency, ConcurrentRequestsWithOneKeyMakeOneObject) {
  constexpr int racers = 8;
  std::vector<mercato::test::StripeReply> replies(racers);
  {
    std::vector<std::jthread> threads;
    for (int i = 0; i < racers; ++i) threads.emplace_back([&, i] { replies[i] = create("race"); });
  }
  std::set<std::string> ids;
  for (const auto& reply : replies) {
    if (reply.status == 409) {
      EXPECT_EQ(reply.error("type"), "idempotency_error");
      continue;
    }
    EXPECT_EQ(reply.status, 200) << reply.raw.body;
    ids.insert(reply.text("id"));
  }
  EXPECT_EQ(ids.size(), 1u);
  EXPECT_EQ(delivered_events(), 1u);
}

TEST_F(StripeEmulatorIdempotency, GetIgnoresTheKey) {
  auto id = create_intent();
  auto reply = call("GET", "/v1/payment_intents/" + id, {}, {{"Idempotency-Key", "whatever"}});
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(reply.header("Idempotent-Replayed"), "");
}
