// What `make run` sets up, as real processes: `mercato serve` and `mercato stripe-emulator`
// with the development keys, the emulator's webhooks posted to the server's socket. A
// customer pays with curl's calls alone and the order turns `paid`, on the event stream too.

#include <gtest/gtest.h>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <chrono>
#include <thread>

#include "clients/curl_http_client.hpp"
#include "integration/orders/orders_test_support.hpp"
#include "support/child_process.hpp"
#include "support/sse_client.hpp"

using namespace std::chrono_literals;
using mercato::test::SseClient;
using mercato::testing::AppHarness;
using mercato::testing::Backend;
using mercato::testing::ChildProcess;
using mercato::testing::TestDatabase;
namespace orders = mercato::testing::orders;

namespace {

// A port free a moment ago: the emulator must know the server's before either starts.
std::uint16_t free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  ::close(fd);
  return ntohs(address.sin_port);
}

mercato::clients::HttpReply call(const std::string& method, const std::string& url, const std::string& body = {},
                                 mercato::clients::HeaderList headers = {}) {
  mercato::clients::CurlHttpClient client;
  mercato::clients::HttpCall c;
  c.method = method;
  c.url = url;
  c.body = body;
  c.headers = std::move(headers);
  return client.send(c);
}

std::string field(const std::string& json, const char* name) {
  return std::string(boost::json::parse(json).at(name).as_string());
}

TEST(PaymentProcesses, MakeRunSetupPaysAnOrderEndToEnd) {
  TestDatabase db(Backend::sqlite);
  std::string order;
  {
    AppHarness app(db.database(), orders::accounts_config());
    auto w = orders::make_world(app);
    order = orders::placed_order_id(app, w.alice.access_token, {{w.lamp, 2}});
    ASSERT_FALSE(order.empty());
  }
  auto config = orders::accounts_config();
  auto server_port = free_port();
  ChildProcess emulator({MERCATO_BINARY_PATH, "stripe-emulator", "--port", "0", "--webhook-url",
                         "http://127.0.0.1:" + std::to_string(server_port) + "/api/payments/webhook",
                         "--webhook-secret", "whsec_mercato_development"},
                        {});
  auto emulator_started = emulator.wait_for_line("stripe_emulator_started", 20s);
  ASSERT_TRUE(emulator_started) << emulator.err();
  auto emulator_port = boost::json::parse(*emulator_started).at("port").as_int64();
  auto emulator_url = "http://127.0.0.1:" + std::to_string(emulator_port);
  ChildProcess server({MERCATO_BINARY_PATH, "serve"},
                      {{"DATABASE_URL", db.url()},
                       {"PORT", std::to_string(server_port)},
                       {"BIND_ADDRESS", "127.0.0.1"},
                       {"APP_ENV", "development"},
                       {"JWT_SECRET", config.jwt_secret},
                       {"DATA_ENCRYPTION_KEY", config.data_encryption_key},
                       {"STRIPE_API_BASE", emulator_url},
                       {"STRIPE_SECRET_KEY", "sk_test_mercato_development"},
                       {"STRIPE_WEBHOOK_SECRET", "whsec_mercato_development"}});
  ASSERT_TRUE(server.wait_for_line("server_started", 20s)) << server.err();
  auto api = "http://127.0.0.1:" + std::to_string(server_port) + "/api";
  mercato::clients::HeaderList json{{"Content-Type", "application/json"}};

  auto login = call("POST", api + "/auth/login", R"({"email":"alice@example.com","password":"password1"})", json);
  ASSERT_EQ(login.status, 200) << login.body;
  auto token = field(login.body, "access_token");
  mercato::clients::HeaderList auth{{"Content-Type", "application/json"}, {"Authorization", "Bearer " + token}};

  SseClient stream(server_port);
  ASSERT_TRUE(stream.get("/api/orders/events", "Authorization: Bearer " + token + "\r\n"));
  ASSERT_TRUE(stream.read_header());
  ASSERT_TRUE(stream.read_until("retry: 3000\n\n"));

  auto pay = call("POST", api + "/payments", R"({"order_id":")" + order + R"("})", auth);
  ASSERT_EQ(pay.status, 201) << pay.body;
  auto secret = field(pay.body, "client_secret");
  auto payment = field(pay.body, "id");
  auto intent = secret.substr(0, secret.find("_secret_"));
  auto confirmed = call("POST", emulator_url + "/v1/payment_intents/" + intent + "/confirm",
                        "payment_method=pm_card_visa",
                        {{"Authorization", "Bearer sk_test_mercato_development"},
                         {"Content-Type", "application/x-www-form-urlencoded"}});
  ASSERT_EQ(confirmed.status, 200) << confirmed.body;

  ASSERT_TRUE(stream.read_until("\"status\":\"paid\"", 10s)) << stream.body() << "\nserver: " << server.out()
                                                             << "\nemulator: " << emulator.out();
  auto got = call("GET", api + "/payments/" + payment, {}, auth);
  EXPECT_EQ(field(got.body, "status"), "completed");
  auto got_order = call("GET", api + "/orders/" + order, {}, auth);
  EXPECT_EQ(field(got_order.body, "status"), "paid");
  EXPECT_EQ(field(got_order.body, "payment_status"), "completed");
  EXPECT_EQ(server.out().find(secret), std::string::npos);
  EXPECT_EQ(emulator.out().find(secret), std::string::npos);
}

}  // namespace
