// The wire protocol over a real socket: authentication, headers, bodies, unknown parameters
// and URLs, and what the log may show.

#include "integration/stripe_emulator/emulator_fixture.hpp"
#include "security/base64.hpp"
#include "security/digest.hpp"

using mercato::test::StripeEmulatorFixture;

namespace {

class StripeEmulatorProtocol : public StripeEmulatorFixture {
 protected:
  mercato::test::StripeReply with_authorization(std::string value) {
    return call("GET", "/v1/payment_intents/pi_x", {}, {{"Authorization", std::move(value)}}, std::nullopt);
  }
};

}  // namespace

TEST_F(StripeEmulatorProtocol, MissingKeyIs401) {
  auto reply = call("POST", "/v1/payment_intents", "amount=100&currency=usd", {}, std::nullopt);
  EXPECT_EQ(reply.status, 401);
  EXPECT_EQ(reply.error("type"), "invalid_request_error");
  EXPECT_EQ(reply.error("message").rfind("You did not provide an API key.", 0), 0u) << reply.error("message");
  EXPECT_EQ(reply.header("Content-Type"), "application/json");
  EXPECT_TRUE(matches(reply.header("Request-Id"), "req_[A-Za-z0-9]{14}"));
  EXPECT_EQ(with_authorization("Bearer ").status, 401);
  EXPECT_EQ(emulator_->pending_webhooks(), 0u);
}

TEST_F(StripeEmulatorProtocol, InvalidAndLiveKeysAre401WithTheKeyMasked) {
  auto publishable = with_authorization("Bearer pk_test_51Habcdefgh");
  EXPECT_EQ(publishable.status, 401);
  EXPECT_EQ(publishable.error("message"), "Invalid API Key provided: pk_test_*******efgh");
  auto live = with_authorization("Bearer sk_live_realkey9876");
  EXPECT_EQ(live.status, 401);
  EXPECT_EQ(live.error("message"), "Invalid API Key provided: sk_live_*******9876");
  EXPECT_EQ(live.raw.body.find("realkey"), std::string::npos);
  auto garbage = with_authorization("Token abc");
  EXPECT_EQ(garbage.status, 401);
  EXPECT_EQ(with_authorization("Bearer sk_test_").status, 401) << "a prefix alone is no key";
}

TEST_F(StripeEmulatorProtocol, BasicAuthWithTheKeyAsUserName) {
  std::string credentials = std::string(mercato::test::test_key) + ":";
  auto encoded = mercato::security::base64_encode(mercato::security::byte_view(credentials));
  auto reply = call("POST", "/v1/payment_intents", "amount=100&currency=usd", {{"Authorization", "Basic " + encoded}},
                    std::nullopt);
  EXPECT_EQ(reply.status, 200) << reply.raw.body;
  std::string live = "sk_live_abcdefgh:";
  auto live_encoded = mercato::security::base64_encode(mercato::security::byte_view(live));
  EXPECT_EQ(with_authorization("Basic " + live_encoded).status, 401);
}

TEST_F(StripeEmulatorProtocol, UnknownParametersAreRefusedByName) {
  auto top = post("/v1/payment_intents", "amount=100&currency=usd&colour=blue");
  EXPECT_EQ(top.status, 400);
  EXPECT_EQ(top.error("code"), "parameter_unknown");
  EXPECT_EQ(top.error("param"), "colour");
  EXPECT_EQ(top.error("message"), "Received unknown parameter: colour");
  auto nested = post("/v1/payment_intents", "amount=100&currency=usd&automatic_payment_methods[foo]=1");
  EXPECT_EQ(nested.error("param"), "automatic_payment_methods[foo]");
  auto on_get = call("GET", "/v1/payment_intents/pi_x?colour=blue");
  EXPECT_EQ(on_get.error("code"), "parameter_unknown");
}

TEST_F(StripeEmulatorProtocol, UnrecognizedUrlsAre404) {
  auto reply = get("/v1/customers");
  EXPECT_EQ(reply.status, 404);
  EXPECT_EQ(reply.error("type"), "invalid_request_error");
  EXPECT_EQ(reply.error("message").rfind("Unrecognized request URL (GET: /v1/customers).", 0), 0u)
      << reply.error("message");
  EXPECT_EQ(call("DELETE", "/v1/payment_intents/pi_x").error("message").rfind("Unrecognized request URL (DELETE: ", 0),
            0u);
  EXPECT_EQ(post("/v1/payment_intents/pi_x/capture").status, 404);
}

TEST_F(StripeEmulatorProtocol, OnlyFormBodiesAreAccepted) {
  auto json_body = post("/v1/payment_intents", R"({"amount":100,"currency":"usd"})",
                        {{"Content-Type", "application/json"}});
  EXPECT_EQ(json_body.status, 400);
  EXPECT_EQ(json_body.error("type"), "invalid_request_error");
  EXPECT_NE(json_body.error("message").find("application/x-www-form-urlencoded"), std::string::npos);
  auto charset = post("/v1/payment_intents", "amount=100&currency=usd",
                      {{"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}});
  EXPECT_EQ(charset.status, 200);
  auto broken = post("/v1/payment_intents", "amount=100&currency=usd&metadata[a=1");
  EXPECT_EQ(broken.status, 400);
  EXPECT_EQ(broken.error("type"), "invalid_request_error");
}

TEST_F(StripeEmulatorProtocol, PercentEncodedBracketsOverTheWire) {
  auto reply = post("/v1/payment_intents", "amount=100&currency=usd&metadata%5Border_id%5D=o%2B1&description=a+b");
  ASSERT_EQ(reply.status, 200) << reply.raw.body;
  EXPECT_EQ(reply.json.at("metadata").at("order_id"), "o+1");
  EXPECT_EQ(reply.text("description"), "a b");
}

TEST_F(StripeEmulatorProtocol, StripeVersionIsEchoed) {
  auto reply = call("GET", "/v1/payment_intents/pi_x", {}, {{"Stripe-Version", "2023-10-16"}});
  EXPECT_EQ(reply.header("Stripe-Version"), "2023-10-16");
  EXPECT_EQ(call("GET", "/v1/payment_intents/pi_x", {}, {{"Stripe-Version", "2024-09-30.acacia"}}).header("Stripe-Version"),
            "2024-09-30.acacia");
  auto bad = call("GET", "/v1/payment_intents/pi_x", {}, {{"Stripe-Version", "yesterday"}});
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.header("Stripe-Version"), "2024-06-20");
}

TEST_F(StripeEmulatorProtocol, LogsEachRequestButNoSecrets) {
  auto created = post("/v1/payment_intents", "amount=100&currency=usd");
  auto client_secret = created.text("client_secret");
  ASSERT_FALSE(client_secret.empty());
  get("/v1/payment_intents/" + created.text("id"));
  auto log = log_text_.str();
  EXPECT_EQ(log.find(mercato::test::test_key), std::string::npos);
  EXPECT_EQ(log.find(client_secret), std::string::npos);
  EXPECT_EQ(log.find(mercato::test::webhook_secret), std::string::npos);
  bool found = false;
  std::istringstream lines(log);
  for (std::string line; std::getline(lines, line);) {
    auto entry = boost::json::parse(line).as_object();
    if (entry.at("event") == "stripe_emulator_request" && entry.at("method") == "POST") {
      EXPECT_EQ(entry.at("path"), "/v1/payment_intents");
      EXPECT_EQ(entry.at("status"), 200);
      found = true;
    }
  }
  EXPECT_TRUE(found) << log;
}
