// Request and response as they cross the socket: keep-alive, pipelining, what the handler
// sees, and what the client receives.

#include <future>

#include "integration/server/server_fixture.hpp"

namespace mercato::test {
namespace {

TEST_F(ServerTest, KeepAliveAnswersTwoRequestsOnOneConnection) {
  start();
  RawConnection client(port());
  ASSERT_TRUE(client.send(get_request("/first")));
  auto first = client.read_response();
  ASSERT_TRUE(first);
  EXPECT_EQ(first->status, 200);
  EXPECT_EQ(first->body, "/first");
  ASSERT_TRUE(client.send(get_request("/second")));
  auto second = client.read_response();
  ASSERT_TRUE(second);
  EXPECT_EQ(second->body, "/second");
  EXPECT_FALSE(second->header("Connection").has_value());
}

TEST_F(ServerTest, PipelinedRequestsAreAnsweredInOrder) {
  start();
  RawConnection client(port());
  ASSERT_TRUE(client.send(get_request("/one") + get_request("/two") + get_request("/three")));
  for (auto expected : {"/one", "/two", "/three"}) {
    auto response = client.read_response();
    ASSERT_TRUE(response);
    EXPECT_EQ(response->body, expected);
  }
}

TEST_F(ServerTest, HandlerSeesMethodPathQueryHeadersBodyAndRemoteAddress) {
  auto seen = make_promise<http::Request>();
  handler = [seen](http::Request& request) {
    seen->set_value(request);
    return http::Response::no_content();
  };
  start();
  RawConnection client(port());
  ASSERT_TRUE(
      client.send("POST /api/items%20x?q=a%20b&tag=1&flag HTTP/1.1\r\nHost: localhost\r\nX-Test: yes\r\n"
                  "Content-Length: 5\r\n\r\nhello"));
  auto response = client.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 204);
  auto request = seen->get_future().get();
  EXPECT_EQ(request.method, http::Method::post);
  EXPECT_EQ(request.target, "/api/items%20x?q=a%20b&tag=1&flag");
  EXPECT_EQ(request.path, "/api/items x");
  using Query = std::vector<std::pair<std::string, std::string>>;
  EXPECT_EQ(request.query, (Query{{"q", "a b"}, {"tag", "1"}, {"flag", ""}}));
  EXPECT_EQ(request.headers.get("x-test"), "yes");
  EXPECT_EQ(request.headers.get("Host"), "localhost");
  EXPECT_EQ(request.body, "hello");
  EXPECT_EQ(request.remote_address, "127.0.0.1");
}

TEST_F(ServerTest, ChunkedBodyIsDecoded) {
  auto body = make_promise<std::string>();
  handler = [body](http::Request& request) {
    body->set_value(request.body);
    return http::Response::no_content();
  };
  start();
  RawConnection client(port());
  ASSERT_TRUE(
      client.send("PUT /x HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                  "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"));
  auto response = client.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 204);
  EXPECT_EQ(body->get_future().get(), "hello world");
}

TEST_F(ServerTest, TrailersDoNotBecomeHeaders) {
  auto seen = make_promise<http::Request>();
  handler = [seen](http::Request& request) {
    seen->set_value(request);
    return http::Response::no_content();
  };
  start();
  RawConnection client(port());
  ASSERT_TRUE(client.send("POST /x HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                          "2\r\nok\r\n0\r\nX-Forwarded-For: 10.0.0.1\r\n\r\n"));
  auto response = client.read_response();
  ASSERT_TRUE(response);
  auto request = seen->get_future().get();
  EXPECT_EQ(request.body, "ok");
  EXPECT_FALSE(request.headers.contains("X-Forwarded-For"));
  EXPECT_TRUE(request.headers.contains("Transfer-Encoding"));
}

TEST_F(ServerTest, UnknownMethodReachesHandlerAsOther) {
  handler = [](http::Request& request) {
    return http::Response{request.method == http::Method::other ? 405 : 200, {}, {}, false};
  };
  start();
  RawConnection client(port());
  ASSERT_TRUE(client.send("BREW /pot HTTP/1.1\r\nHost: h\r\n\r\n"));
  auto response = client.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 405);
}

TEST_F(ServerTest, ExpectContinueGetsInterimResponseBeforeTheBody) {
  start();
  RawConnection client(port());
  ASSERT_TRUE(client.send("POST /upload HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n"));
  auto interim = client.read_response();
  ASSERT_TRUE(interim);
  EXPECT_EQ(interim->status, 100);
  ASSERT_TRUE(client.send("abc"));
  auto response = client.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
}

TEST_F(ServerTest, SetCookieHeadersArriveSeparately) {
  handler = [](http::Request&) {
    http::Response response;
    response.headers.add("Set-Cookie", "a=1; Path=/; HttpOnly");
    response.headers.add("Set-Cookie", "b=2; Path=/; Secure");
    return response;
  };
  start();
  RawConnection client(port());
  ASSERT_TRUE(client.send(get_request("/")));
  auto response = client.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->header_values("Set-Cookie"),
            (std::vector<std::string>{"a=1; Path=/; HttpOnly", "b=2; Path=/; Secure"}));
}

TEST_F(ServerTest, HeadAnswersWithLengthButNoBody) {
  handler = [](http::Request&) { return http::Response{200, {}, "hello", false}; };
  start();
  RawConnection client(port());
  // The GET behind the HEAD proves no body bytes followed the HEAD answer.
  ASSERT_TRUE(client.send("HEAD / HTTP/1.1\r\nHost: h\r\n\r\n" + get_request("/")));
  auto head = client.read_response(/*head=*/true);
  ASSERT_TRUE(head);
  EXPECT_EQ(head->header("Content-Length"), "5");
  auto get = client.read_response();
  ASSERT_TRUE(get);
  EXPECT_EQ(get->status, 200);
  EXPECT_EQ(get->body, "hello");
}

TEST_F(ServerTest, CloseConnectionResponseClosesTheConnection) {
  handler = [](http::Request&) { return http::Response{200, {}, "bye", true}; };
  start();
  RawConnection client(port());
  ASSERT_TRUE(client.send(get_request("/")));
  auto response = client.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->header("Connection"), "close");
  EXPECT_TRUE(client.wait_closed());
}

TEST_F(ServerTest, Http10WithoutKeepAliveIsClosedAfterTheAnswer) {
  start();
  RawConnection client(port());
  ASSERT_TRUE(client.send("GET /old HTTP/1.0\r\n\r\n"));
  auto response = client.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->body, "/old");
  EXPECT_TRUE(client.wait_closed());
}

TEST_F(ServerTest, HandlerExceptionBecomesProblem500) {
  handler = [](http::Request&) -> http::Response { throw std::runtime_error("database exploded"); };
  start();
  RawConnection client(port());
  ASSERT_TRUE(client.send(get_request("/")));
  auto response = client.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 500);
  EXPECT_EQ(response->header("Content-Type"), "application/problem+json");
  EXPECT_EQ(response->body.find("exploded"), std::string::npos);
}

TEST_F(ServerTest, ResponseHeaderThatWouldSplitTheResponseIsDropped) {
  handler = [](http::Request&) {
    http::Response response;
    response.headers.add("X-Echo", "a\r\nX-Injected: 1");
    response.headers.add("X-Fine", "ok");
    return response;
  };
  start();
  RawConnection client(port());
  ASSERT_TRUE(client.send(get_request("/")));
  auto response = client.read_response();
  ASSERT_TRUE(response);
  EXPECT_FALSE(response->header("X-Injected"));
  EXPECT_FALSE(response->header("X-Echo"));
  EXPECT_EQ(response->header("X-Fine"), "ok");
}

}  // namespace
}  // namespace mercato::test
