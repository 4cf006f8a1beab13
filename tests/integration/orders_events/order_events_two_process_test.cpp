// PostgreSQL only: two `mercato serve` processes on one database. A status change made
// through process A reaches an event stream open on process B (NOTIFY in the change's
// transaction, LISTEN in every process), over real sockets.

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <csignal>
#include <map>
#include <memory>
#include <string>

#include "integration/orders_events/order_events_test_support.hpp"
#include "support/child_process.hpp"
#include "support/http_client.hpp"
#include "support/sse_client.hpp"
#include "support/test_database.hpp"

using namespace std::chrono_literals;
using mercato::test::RawConnection;
using mercato::test::RawResponse;
using mercato::test::SseClient;
using mercato::testing::AppHarness;
using mercato::testing::Backend;
using mercato::testing::ChildProcess;
using mercato::testing::TestDatabase;
namespace orders = mercato::testing::orders;

namespace {

std::optional<RawResponse> http_call(std::uint16_t port, const std::string& method, const std::string& target,
                                     const std::string& body = {}, const std::string& token = {}) {
  RawConnection connection(port, 10s);
  std::string request = method + " " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n";
  if (!token.empty()) request += "Authorization: Bearer " + token + "\r\n";
  if (!body.empty()) request += "Content-Type: application/json\r\n";
  request += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  if (!connection.send(request)) return std::nullopt;
  return connection.read_response();
}

// Signs in over HTTP: the processes run on the real clock, the harness on a fixed one.
std::string login(std::uint16_t port, const std::string& email, const std::string& password) {
  auto r = http_call(port, "POST", "/api/auth/login",
                     boost::json::serialize(boost::json::object{{"email", email}, {"password", password}}));
  if (!r || r->status != 200) {
    ADD_FAILURE() << "login " << email << ": " << (r ? std::to_string(r->status) + " " + r->body : "no answer");
    return {};
  }
  return std::string(boost::json::parse(r->body).at("access_token").as_string());
}

std::uint16_t port_from(const std::string& started_line) {
  return static_cast<std::uint16_t>(boost::json::parse(started_line).at("port").as_int64());
}

class OrderEventsTwoProcessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    mercato::testing::skip_or_fail_without_postgres();
    if (IsSkipped() || HasFatalFailure()) return;
    db_ = std::make_unique<TestDatabase>(Backend::postgres);  // migrated once, here
  }

  // The same secrets for both processes and the harness that seeds the data, so that
  // tokens and encrypted fields are valid in all of them.
  std::map<std::string, std::string> env() const {
    auto config = orders::accounts_config();
    return {{"DATABASE_URL", db_->url()},
            {"PORT", "0"},
            {"BIND_ADDRESS", "127.0.0.1"},
            {"APP_ENV", "development"},
            {"LOG_LEVEL", "info"},
            {"JWT_SECRET", config.jwt_secret},
            {"DATA_ENCRYPTION_KEY", config.data_encryption_key},
            {"RATE_LIMIT_PER_MINUTE", "100000"},
            {"AUTH_RATE_LIMIT_PER_MINUTE", "100000"}};
  }

  std::unique_ptr<TestDatabase> db_;
};

}  // namespace

TEST_F(OrderEventsTwoProcessTest, ChangeThroughOneProcessReachesAStreamOnTheOther) {
  // Users, products and a pending order, written through the application in process.
  std::string order;
  {
    AppHarness app(db_->database(), orders::accounts_config());
    auto w = orders::make_world(app);
    order = orders::placed_order_id(app, w.alice.access_token, {{w.lamp, 1}});
    ASSERT_FALSE(order.empty());
  }

  ChildProcess a({MERCATO_BINARY_PATH, "serve"}, env());
  ChildProcess b({MERCATO_BINARY_PATH, "serve"}, env());
  auto a_started = a.wait_for_line("server_started", 20s);
  auto b_started = b.wait_for_line("server_started", 20s);
  ASSERT_TRUE(a_started) << a.err();
  ASSERT_TRUE(b_started) << b.err();
  auto a_port = port_from(*a_started), b_port = port_from(*b_started);
  ASSERT_NE(a_port, b_port);

  auto alice_on_b = login(b_port, "alice@example.com", "password1");
  auto admin_on_a = login(a_port, "root@admin.example", "admin-password-1");
  ASSERT_FALSE(alice_on_b.empty() || admin_on_a.empty());

  SseClient stream_b(b_port);
  ASSERT_TRUE(stream_b.get("/api/orders/events", "Authorization: Bearer " + alice_on_b + "\r\n"));
  auto header = stream_b.read_header();
  ASSERT_TRUE(header);
  ASSERT_EQ(header->status, 200) << header->body;
  EXPECT_EQ(header->header("Transfer-Encoding"), "chunked");
  ASSERT_TRUE(stream_b.read_until("retry: 3000\n\n")) << stream_b.body();
  // The same owner on A too: the process that made the change hears it as well.
  SseClient stream_a(a_port);
  ASSERT_TRUE(stream_a.get("/api/orders/events", "Authorization: Bearer " + alice_on_b + "\r\n"));
  ASSERT_TRUE(stream_a.read_header());
  ASSERT_TRUE(stream_a.read_until("retry: 3000\n\n"));

  auto changed = http_call(a_port, "PUT", "/api/orders/" + order + "/status",
                           boost::json::serialize(boost::json::object{{"status", "paid"}}), admin_on_a);
  ASSERT_TRUE(changed);
  ASSERT_EQ(changed->status, 200) << changed->body;

  ASSERT_TRUE(stream_b.read_until("\n\n", 5s, stream_b.body().find("retry: 3000\n\n") + 13))
      << "no event on process B within 5 s; got: " << stream_b.body() << "\nB's log: " << b.out();
  auto events = mercato::test::sse_events(stream_b.body());
  ASSERT_EQ(events.size(), 1u) << stream_b.body();
  EXPECT_EQ(events[0].event, "order.status_changed");
  auto data = boost::json::parse(events[0].data).as_object();
  EXPECT_EQ(data.at("order_id").as_string(), order);
  EXPECT_EQ(data.at("status"), "paid");
  EXPECT_EQ(data.at("previous_status"), "pending");
  auto paid_number = mercato::testing::order_events::sequence_number(events[0].id);
  EXPECT_TRUE(paid_number) << "id '" << events[0].id << "' is no sequence number";

  ASSERT_TRUE(stream_a.read_until("event: order.status_changed", 5s)) << stream_a.body();
  auto on_a = mercato::test::sse_events(stream_a.body());
  ASSERT_EQ(on_a.size(), 1u);
  EXPECT_EQ(on_a[0].id, events[0].id) << "both processes name the event alike";

  // A stream on B reconnecting with that id after a second change made on A gets it replayed.
  auto shipped = http_call(a_port, "PUT", "/api/orders/" + order + "/status",
                           boost::json::serialize(boost::json::object{{"status", "shipped"}}), admin_on_a);
  ASSERT_TRUE(shipped);
  ASSERT_EQ(shipped->status, 200);
  SseClient reconnect(b_port);
  ASSERT_TRUE(reconnect.get("/api/orders/events",
                            "Authorization: Bearer " + alice_on_b + "\r\nLast-Event-ID: " + events[0].id + "\r\n"));
  ASSERT_TRUE(reconnect.read_header());
  ASSERT_TRUE(reconnect.read_until("\"status\":\"shipped\"", 5s)) << reconnect.body();
  ASSERT_TRUE(reconnect.read_until("\n\n", 5s, reconnect.body().find("\"status\":\"shipped\"")));
  auto replayed = mercato::test::sse_events(reconnect.body());
  ASSERT_EQ(replayed.size(), 1u) << "only the change after Last-Event-ID: " << reconnect.body();
  auto shipped_number = mercato::testing::order_events::sequence_number(replayed[0].id);
  ASSERT_TRUE(shipped_number && paid_number) << reconnect.body();
  EXPECT_GT(*shipped_number, *paid_number) << "the later change has the larger number";

  // SIGTERM with streams open: each process ends them and exits cleanly.
  b.send_signal(SIGTERM);
  EXPECT_TRUE(stream_b.wait_closed(15s));
  EXPECT_TRUE(stream_b.saw_last_chunk());
  stream_b.close();
  reconnect.close();
  EXPECT_EQ(b.wait(20s), 0) << b.err();
  a.send_signal(SIGTERM);
  stream_a.close();
  EXPECT_EQ(a.wait(20s), 0) << a.err();
}
