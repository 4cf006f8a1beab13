// Signing in to the event stream: the Authorization header, never a token in the URL, and
// single-use 60-second tickets (POST /api/orders/events/ticket, then ?ticket=) that open
// the stream route and nothing else.

#include <gtest/gtest.h>

#include "integration/orders_events/order_events_test_support.hpp"

using namespace mercato;
using namespace mercato::testing::order_events;
namespace orders = mercato::testing::orders;
using mercato::testing::orders::bearer;
using mercato::testing::orders::body_of;
using mercato::testing::orders::code_of;
using mercato::testing::orders::placed_order_id;
using mercato::testing::orders::set_status;
using mercato::testing::orders::str;

namespace {

class OrderEventsAuthTest : public OrderEventsTest {
 protected:
  http::Response ticket_response(const std::string& access_token) {
    return app().call(http::Method::post, std::string(ticket_path), {}, bearer(access_token));
  }
  // A fresh ticket for the holder of `access_token` ("" after a reported failure).
  std::string ticket_for(const std::string& access_token) {
    auto r = ticket_response(access_token);
    if (r.status != 201) {
      ADD_FAILURE() << "ticket: " << r.status << " " << r.body;
      return {};
    }
    return str(body_of(r).at("ticket"));
  }
  Subscription& open_with_ticket(const std::string& ticket) { return open({}, "?ticket=" + ticket); }
};

}  // namespace

TEST_P(OrderEventsAuthTest, WithoutCredentials401) {
  auto& s = open({});
  EXPECT_EQ(s.response.status, 401) << s.response.body;
  EXPECT_FALSE(s.stream);
  EXPECT_EQ(streams(), 0u);
}

TEST_P(OrderEventsAuthTest, InvalidBearerToken401) {
  auto& s = open(bearer("not-a-token"));
  EXPECT_EQ(s.response.status, 401);
  EXPECT_FALSE(s.stream);
}

TEST_P(OrderEventsAuthTest, AccessTokenInTheUrlIsRefused) {
  auto& s = open({}, "?access_token=" + world().alice.access_token);
  EXPECT_EQ(s.response.status, 401) << s.response.body;
  EXPECT_EQ(code_of(s.response), "token_in_url");
  EXPECT_FALSE(s.stream);
  // Also alongside a valid header: a token in a URL is refused whatever else comes.
  auto& both = open(bearer(world().alice.access_token), "?access_token=" + world().alice.access_token);
  EXPECT_EQ(both.response.status, 401);
  EXPECT_EQ(code_of(both.response), "token_in_url");
  EXPECT_EQ(streams(), 0u);
}

TEST_P(OrderEventsAuthTest, TicketIsIssuedForASignedInCaller) {
  auto r = ticket_response(world().alice.access_token);
  ASSERT_EQ(r.status, 201) << r.body;
  auto body = body_of(r);
  EXPECT_EQ(orders::keys_of(body), (std::set<std::string>{"ticket", "expires_in"}));
  ASSERT_TRUE(body.at("ticket").is_string());
  EXPECT_GE(body.at("ticket").as_string().size(), 20u) << "a guessable ticket";
  EXPECT_EQ(body.at("expires_in"), 60);
  EXPECT_NE(str(body.at("ticket")), ticket_for(world().alice.access_token)) << "two tickets alike";

  auto anonymous = app().call(http::Method::post, std::string(ticket_path));
  EXPECT_EQ(anonymous.status, 401);
}

TEST_P(OrderEventsAuthTest, TicketOpensTheStreamAsItsHolderOnce) {
  const auto& w = world();
  auto mine = placed_order_id(app(), w.alice.access_token, {{w.lamp, 1}});
  auto theirs = placed_order_id(app(), w.bob.access_token, {{w.lamp, 1}});
  ASSERT_FALSE(mine.empty() || theirs.empty());
  auto ticket = ticket_for(w.alice.access_token);
  ASSERT_FALSE(ticket.empty());

  auto& s = open_with_ticket(ticket);
  expect_opened(s);
  ASSERT_TRUE(s.stream);
  EXPECT_EQ(streams(), 1u);

  // It is Alice's stream: her order is heard, Bob's is not.
  ASSERT_EQ(set_status(app(), w.admin.access_token, theirs, "paid").status, 200);
  ASSERT_EQ(set_status(app(), w.admin.access_token, mine, "paid").status, 200);
  auto event = one_event(s, "the ticket's holder");
  ASSERT_TRUE(event);
  EXPECT_EQ(event->order_id, mine);

  auto& again = open_with_ticket(ticket);
  EXPECT_EQ(again.response.status, 401) << again.response.body;
  EXPECT_EQ(code_of(again.response), "invalid_ticket");
  EXPECT_FALSE(again.stream);
}

TEST_P(OrderEventsAuthTest, ExpiredTicket401) {
  auto late = ticket_for(world().alice.access_token);
  auto in_time = ticket_for(world().alice.access_token);
  app().clock().advance(std::chrono::seconds(59));
  auto& ok = open_with_ticket(in_time);
  expect_opened(ok);
  app().clock().advance(std::chrono::seconds(2));  // 61 s after issue
  auto& s = open_with_ticket(late);
  EXPECT_EQ(s.response.status, 401) << s.response.body;
  EXPECT_EQ(code_of(s.response), "invalid_ticket");
  EXPECT_FALSE(s.stream);
}

TEST_P(OrderEventsAuthTest, UnknownTicket401) {
  auto& s = open_with_ticket("made-up-ticket-value-0123456789");
  EXPECT_EQ(s.response.status, 401);
  EXPECT_EQ(code_of(s.response), "invalid_ticket");
  auto& empty = open_with_ticket("");
  EXPECT_EQ(empty.response.status, 401);
  EXPECT_FALSE(empty.stream);
}

TEST_P(OrderEventsAuthTest, TicketAuthenticatesNoOtherRoute) {
  auto ticket = ticket_for(world().alice.access_token);
  ASSERT_FALSE(ticket.empty());
  auto list = app().get("/api/orders?ticket=" + ticket);
  EXPECT_EQ(list.status, 401) << list.body;
  auto me = app().get("/api/auth/me?ticket=" + ticket);
  EXPECT_EQ(me.status, 401) << me.body;
  auto another = app().call(http::Method::post, std::string(ticket_path) + "?ticket=" + ticket);
  EXPECT_EQ(another.status, 401) << "a ticket minted a ticket: " << another.body;
  // Not spent by those attempts: the stream still opens with it.
  auto& s = open_with_ticket(ticket);
  expect_opened(s);
}

TEST_P(OrderEventsAuthTest, TicketOfASignInThatEnded401) {
  const auto& w = world();
  auto ticket = ticket_for(w.alice.access_token);
  ASSERT_FALSE(ticket.empty());
  auto out = mercato::testing::accounts::post(app(), "/api/auth/logout", {{"refresh_token", w.alice.refresh_token}},
                                    bearer(w.alice.access_token));
  ASSERT_EQ(out.status, 204) << out.body;
  auto& s = open_with_ticket(ticket);
  EXPECT_EQ(s.response.status, 401) << s.response.body;
  EXPECT_FALSE(s.stream);
}

TEST_P(OrderEventsAuthTest, TicketOfADisabledAccount401) {
  const auto& w = world();
  auto ticket = ticket_for(w.bob.access_token);
  ASSERT_FALSE(ticket.empty());
  auto lease = database().acquire();
  lease->execute(dialect() == db::Dialect::postgres ? "UPDATE users SET disabled = true WHERE id = $1"
                                                    : "UPDATE users SET disabled = 1 WHERE id = $1",
                 {w.bob.user_id});
  auto& s = open_with_ticket(ticket);
  EXPECT_EQ(s.response.status, 401) << s.response.body;
}

TEST_P(OrderEventsAuthTest, TicketStreamsCountTowardsTheCap) {
  const auto& w = world();
  for (int i = 0; i < 5; ++i) open_ok(w.alice);
  auto ticket = ticket_for(w.alice.access_token);
  auto& sixth = open_with_ticket(ticket);
  EXPECT_EQ(sixth.response.status, 429) << sixth.response.body;
  EXPECT_EQ(code_of(sixth.response), "too_many_streams");
}

MERCATO_ORDERS_BACKENDS(OrderEventsAuthTest);
