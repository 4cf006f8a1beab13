// Webhooks to a real receiver (a second http::Server): signed, retried, given up, in order.

#include <condition_variable>

#include "clients/stripe/webhook_signature.hpp"
#include "integration/stripe_emulator/emulator_fixture.hpp"

using mercato::test::str;
using mercato::test::StripeEmulatorFixture;
using namespace std::chrono_literals;
namespace stripe = mercato::clients::stripe;

namespace {

struct Received {
  std::string signature;
  std::string content_type;
  std::string user_agent;
  std::string body;
  std::string type() const { return std::string(boost::json::parse(body).at("type").as_string()); }
  std::int64_t signed_at() const { return std::stoll(signature.substr(2, signature.find(',') - 2)); }
};

// Answers each webhook from a script of statuses (then 200) and records it.
class WebhookReceiver {
 public:
  WebhookReceiver() {
    mercato::http::ServerOptions options;
    options.address = "127.0.0.1";
    options.port = 0;
    server_ = std::make_unique<mercato::http::Server>(
        options, [this](mercato::http::Request& r) { return receive(r); }, workers_, log_);
    server_->start();
  }
  ~WebhookReceiver() { server_.reset(); }

  std::string url() const { return "http://127.0.0.1:" + std::to_string(server_->port()) + "/hooks/stripe"; }
  void script(std::initializer_list<int> statuses) {
    std::lock_guard lock(mutex_);
    script_.insert(script_.end(), statuses);
  }
  std::vector<Received> received() const {
    std::lock_guard lock(mutex_);
    return received_;
  }
  std::vector<std::string> types() const {
    std::vector<std::string> out;
    for (const auto& r : received()) out.push_back(r.type());
    return out;
  }
  bool wait_for(std::size_t count, std::chrono::seconds timeout) {
    std::unique_lock lock(mutex_);
    return arrived_.wait_for(lock, timeout, [&] { return received_.size() >= count; });
  }

 private:
  mercato::http::Response receive(mercato::http::Request& request) {
    auto header = [&](std::string_view name) { return std::string(request.headers.get(name).value_or("")); };
    std::lock_guard lock(mutex_);
    received_.push_back({header("Stripe-Signature"), header("Content-Type"), header("User-Agent"), request.body});
    int status = 200;
    if (!script_.empty()) {
      status = script_.front();
      script_.pop_front();
    }
    arrived_.notify_all();
    return mercato::http::Response{status, {}, "ok", false};
  }

  mutable std::mutex mutex_;
  std::condition_variable arrived_;
  std::vector<Received> received_;
  std::deque<int> script_;
  mercato::SystemClock clock_;
  std::ostringstream log_text_;
  mercato::observability::Logger log_{log_text_, mercato::observability::LogLevel::warn, clock_};
  mercato::WorkerPool workers_{2, 16};
  std::unique_ptr<mercato::http::Server> server_;
};

class StripeEmulatorWebhooks : public StripeEmulatorFixture {
 protected:
  void SetUp() override {
    receiver_ = std::make_unique<WebhookReceiver>();
    StripeEmulatorFixture::SetUp();
  }
  void TearDown() override {
    StripeEmulatorFixture::TearDown();
    receiver_.reset();
  }
  mercato::stripe_emulator::EmulatorOptions options() override {
    auto options = StripeEmulatorFixture::options();
    options.webhook_url = receiver_->url();
    options.deliver_in_background = background_;
    return options;
  }
  mercato::clients::HttpClient& webhook_client() override { return curl_; }

  stripe::SignatureCheck verify(const Received& received, const std::string& secret) const {
    return stripe::verify_webhook(received.signature, received.body, {secret}, clock_.now());
  }

  bool background_ = false;
  mercato::clients::CurlHttpClient curl_;
  std::unique_ptr<WebhookReceiver> receiver_;
};

class StripeEmulatorFakeWebhooks : public StripeEmulatorFixture {};

class StripeEmulatorWithoutWebhooks : public StripeEmulatorFixture {
 protected:
  mercato::stripe_emulator::EmulatorOptions options() override {
    auto options = StripeEmulatorFixture::options();
    options.webhook_url.clear();
    return options;
  }
};

class StripeEmulatorBackgroundWebhooks : public StripeEmulatorWebhooks {
 public:
  StripeEmulatorBackgroundWebhooks() { background_ = true; }
};

}  // namespace

TEST_F(StripeEmulatorWebhooks, SignedEventsInStripesShape) {
  auto created = post("/v1/payment_intents", "amount=4200&currency=usd&metadata[order_id]=o-7",
                      {{"Idempotency-Key", "create-o-7"}});
  ASSERT_EQ(created.status, 200);
  EXPECT_EQ(emulator_->pending_webhooks(), 1u);
  EXPECT_EQ(emulator_->deliver_due(), 1u);
  EXPECT_EQ(emulator_->pending_webhooks(), 0u);
  auto received = receiver_->received();
  ASSERT_EQ(received.size(), 1u);
  const auto& hook = received[0];
  EXPECT_EQ(verify(hook, std::string(mercato::test::webhook_secret)), stripe::SignatureCheck::valid);
  EXPECT_EQ(verify(hook, "whsec_some_other_secret"), stripe::SignatureCheck::no_match);
  EXPECT_EQ(hook.signed_at(), now_seconds());
  EXPECT_EQ(hook.content_type, "application/json; charset=utf-8");
  EXPECT_EQ(hook.user_agent, "Stripe/1.0 (+https://stripe.com/docs/webhooks)");

  auto event = boost::json::parse(hook.body).as_object();
  EXPECT_TRUE(matches(std::string(event.at("id").as_string()), "evt_[A-Za-z0-9]{24}"));
  EXPECT_EQ(event.at("object"), "event");
  EXPECT_EQ(event.at("type"), "payment_intent.created");
  EXPECT_EQ(event.at("api_version"), "2024-06-20");
  EXPECT_EQ(event.at("created"), now_seconds());
  EXPECT_EQ(event.at("livemode"), false);
  EXPECT_EQ(event.at("pending_webhooks"), 1);
  EXPECT_EQ(str(event.at("request").at("id")), created.header("Request-Id"));
  EXPECT_EQ(event.at("request").at("idempotency_key"), "create-o-7");
  EXPECT_EQ(event.at("data").at("object"), created.json);

  auto stored = get("/v1/events/" + std::string(event.at("id").as_string()));
  EXPECT_EQ(stored.raw.body, hook.body) << "the same bytes that were signed";
  EXPECT_EQ(get("/v1/events/evt_nope").status, 404);
}

TEST_F(StripeEmulatorWebhooks, SnapshotsAreTakenWhenTheEventHappens) {
  auto id = create_intent();
  post("/v1/payment_intents/" + id + "/confirm", "payment_method=pm_card_visa");
  emulator_->deliver_due();
  auto received = receiver_->received();
  ASSERT_EQ(received.size(), 3u);
  EXPECT_EQ(boost::json::parse(received[0].body).at("data").at("object").at("status"), "requires_payment_method");
  EXPECT_EQ(boost::json::parse(received[2].body).at("data").at("object").at("status"), "succeeded");
}

TEST_F(StripeEmulatorWebhooks, RetriedAfterAFailedAttemptAndSignedAgain) {
  receiver_->script({500});
  create_intent();
  EXPECT_EQ(emulator_->deliver_due(), 0u);
  EXPECT_EQ(emulator_->pending_webhooks(), 1u);
  EXPECT_EQ(emulator_->deliver_due(), 0u) << "not due again before the first delay";
  EXPECT_EQ(receiver_->received().size(), 1u);
  clock_.advance(1s);
  EXPECT_EQ(emulator_->deliver_due(), 1u);
  EXPECT_EQ(emulator_->pending_webhooks(), 0u);
  auto received = receiver_->received();
  ASSERT_EQ(received.size(), 2u);
  EXPECT_EQ(received[1].body, received[0].body);
  EXPECT_EQ(received[1].signed_at(), received[0].signed_at() + 1) << "each attempt is signed with its own time";
  EXPECT_EQ(verify(received[1], std::string(mercato::test::webhook_secret)), stripe::SignatureCheck::valid);
}

TEST_F(StripeEmulatorWebhooks, GivenUpAfterTheSchedule) {
  receiver_->script({500, 503, 404});
  create_intent();
  EXPECT_EQ(emulator_->deliver_due(), 0u);
  clock_.advance(1s);
  EXPECT_EQ(emulator_->deliver_due(), 0u);
  clock_.advance(1s);
  EXPECT_EQ(emulator_->deliver_due(), 0u) << "the second delay is 2 s";
  EXPECT_EQ(receiver_->received().size(), 2u);
  clock_.advance(1s);
  EXPECT_EQ(emulator_->deliver_due(), 0u);
  EXPECT_EQ(receiver_->received().size(), 3u);
  EXPECT_EQ(emulator_->pending_webhooks(), 0u) << "given up after 1 + 2 retries";
  clock_.advance(1h);
  emulator_->deliver_due();
  EXPECT_EQ(receiver_->received().size(), 3u);
  EXPECT_NE(log_text_.str().find("stripe_emulator_webhook_given_up"), std::string::npos);
}

TEST_F(StripeEmulatorWebhooks, AFailingEventDoesNotHoldBackLaterOnes) {
  receiver_->script({500});
  auto first = create_intent();
  auto second = create_intent();
  EXPECT_EQ(emulator_->deliver_due(), 1u);
  clock_.advance(1s);
  EXPECT_EQ(emulator_->deliver_due(), 1u);
  auto received = receiver_->received();
  ASSERT_EQ(received.size(), 3u);
  auto object_id = [](const Received& r) {
    return std::string(boost::json::parse(r.body).at("data").at("object").at("id").as_string());
  };
  EXPECT_EQ(object_id(received[0]), first);
  EXPECT_EQ(object_id(received[1]), second);
  EXPECT_EQ(object_id(received[2]), first);
}

TEST_F(StripeEmulatorFakeWebhooks, NoAnswerIsRetriedLikeAFailure) {
  webhooks_.script({-1});
  create_intent();
  EXPECT_EQ(emulator_->deliver_due(), 0u);
  EXPECT_EQ(emulator_->pending_webhooks(), 1u);
  clock_.advance(1s);
  EXPECT_EQ(emulator_->deliver_due(), 1u);
  auto calls = webhooks_.calls();
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[1].method, "POST");
  EXPECT_EQ(calls[1].url, "http://webhooks.example.test/stripe");
  EXPECT_NE(log_text_.str().find("Couldn't connect"), std::string::npos);
}

TEST_F(StripeEmulatorWithoutWebhooks, NothingIsQueuedButEventsAreKept) {
  auto id = create_intent();
  EXPECT_EQ(emulator_->pending_webhooks(), 0u);
  EXPECT_EQ(emulator_->deliver_due(), 0u);
  EXPECT_TRUE(webhooks_.calls().empty());
  auto confirmed = post("/v1/payment_intents/" + id + "/confirm", "payment_method=pm_card_visa");
  ASSERT_EQ(confirmed.status, 200);
  auto listed = get("/v1/events?limit=2");
  ASSERT_EQ(listed.status, 200) << listed.raw.body;
  const auto& data = listed.json.at("data").as_array();
  ASSERT_EQ(data.size(), 2u);
  EXPECT_EQ(data[0].at("type"), "payment_intent.succeeded") << "newest first";
  EXPECT_EQ(data[1].at("type"), "charge.succeeded");
  EXPECT_EQ(data[0].at("pending_webhooks"), 0);
  EXPECT_EQ(listed.json.at("has_more"), true);
  auto created = get("/v1/events?type=payment_intent.created");
  ASSERT_EQ(created.json.at("data").as_array().size(), 1u);
  EXPECT_EQ(str(created.json.at("data").at(0).at("data").at("object").at("id")), id);
}

TEST_F(StripeEmulatorBackgroundWebhooks, DeliveredInOrderByTheDeliveryThread) {
  auto intent = paid_intent(2500);
  ASSERT_EQ(post("/v1/refunds", "payment_intent=" + intent + "&amount=500").status, 200);
  ASSERT_TRUE(receiver_->wait_for(5, 10s)) << receiver_->received().size();
  EXPECT_EQ(receiver_->types(), (std::vector<std::string>{"payment_intent.created", "charge.succeeded",
                                                          "payment_intent.succeeded", "refund.created",
                                                          "charge.refunded"}));
  for (const auto& hook : receiver_->received())
    EXPECT_EQ(verify(hook, std::string(mercato::test::webhook_secret)), stripe::SignatureCheck::valid);
  emulator_->stop();
  EXPECT_EQ(emulator_->pending_webhooks(), 0u);
}
