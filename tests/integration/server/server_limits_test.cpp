// What the transport refuses by itself: oversized and malformed requests, smuggling attempts,
// stalled clients and a full worker pool.

#include <boost/json/parse.hpp>

#include <atomic>
#include <chrono>
#include <future>

#include "integration/server/server_fixture.hpp"

namespace mercato::test {
namespace {

// The problem's code, or "" when the body is not problem+json.
std::string problem_code(const RawResponse& response) {
  if (response.header("Content-Type") != "application/problem+json") return {};
  auto json = boost::json::parse(response.body).as_object();
  EXPECT_EQ(json.at("status").as_int64(), response.status);
  EXPECT_EQ(json.at("type").as_string(), "about:blank");
  return std::string(json.at("code").as_string());
}

http::ServerOptions small_limits() {
  auto options = ServerTest::local_options();
  options.header_limit = 1024;
  options.body_limit = 1024;
  return options;
}

TEST_F(ServerTest, ContentLengthOverBodyLimitIs413AndCloses) {
  start(small_limits());
  RawConnection client(port());
  ASSERT_TRUE(client.send("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 2048\r\n\r\n"));
  auto response = client.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 413);
  EXPECT_EQ(problem_code(*response), "body_too_large");
  EXPECT_EQ(response->header("Connection"), "close");
  EXPECT_TRUE(client.wait_closed());
}

TEST_F(ServerTest, ChunkedBodyOverLimitIs413AndCloses) {
  start(small_limits());
  RawConnection client(port());
  std::string chunk(800, 'x');
  ASSERT_TRUE(client.send("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n320\r\n" + chunk +
                          "\r\n320\r\n" + chunk + "\r\n0\r\n\r\n"));
  auto response = client.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 413);
  EXPECT_EQ(problem_code(*response), "body_too_large");
  EXPECT_TRUE(client.wait_closed());
}

TEST_F(ServerTest, HeaderOverLimitIsRejectedAndCloses) {
  start(small_limits());
  RawConnection client(port());
  ASSERT_TRUE(client.send(get_request("/", "X-Big: " + std::string(4000, 'a') + "\r\n")));
  auto response = client.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 400);
  EXPECT_EQ(problem_code(*response), "headers_too_large");
  EXPECT_TRUE(client.wait_closed());
}

TEST_F(ServerTest, MalformedRequestLineIs400AndCloses) {
  start();
  RawConnection client(port());
  ASSERT_TRUE(client.send("GARBAGE\r\n\r\n"));
  auto response = client.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 400);
  EXPECT_EQ(problem_code(*response), "malformed_request");
  EXPECT_TRUE(client.wait_closed());
}

TEST_F(ServerTest, TargetThatIsNotAPathIs400) {
  start();
  RawConnection client(port());
  ASSERT_TRUE(client.send(get_request("no-slash")));
  auto response = client.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 400);
  EXPECT_TRUE(client.wait_closed());
}

TEST_F(ServerTest, ConflictingFramingIs400AndCloses) {
  auto calls = std::make_shared<std::atomic<int>>(0);
  handler = [calls](http::Request&) {
    ++*calls;
    return http::Response::no_content();
  };
  start();
  for (std::string framing :
       {"Content-Length: 5\r\nTransfer-Encoding: chunked\r\n", "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n",
        "Transfer-Encoding: identity\r\nContent-Length: 5\r\n", "Transfer-Encoding: gzip\r\n"}) {
    SCOPED_TRACE(framing);
    RawConnection client(port());
    ASSERT_TRUE(client.send("POST / HTTP/1.1\r\nHost: h\r\n" + framing + "\r\n0\r\n\r\n"));
    auto response = client.read_response();
    ASSERT_TRUE(response);
    EXPECT_EQ(response->status, 400);
    EXPECT_EQ(problem_code(*response), "malformed_request");
    EXPECT_TRUE(client.wait_closed());
  }
  EXPECT_EQ(calls->load(), 0);
}

TEST_F(ServerTest, HalfARequestIsClosedAfterReadTimeout) {
  auto options = local_options();
  options.read_timeout = std::chrono::milliseconds(300);
  start(options);
  RawConnection client(port());
  auto began = std::chrono::steady_clock::now();
  ASSERT_TRUE(client.send("GET / HTTP/1.1\r\nHost: h\r\nX-Slow: "));
  EXPECT_TRUE(client.wait_closed());
  EXPECT_GE(std::chrono::steady_clock::now() - began, std::chrono::milliseconds(250));
}

TEST_F(ServerTest, IdleKeepAliveConnectionIsClosedAfterIdleTimeout) {
  auto options = local_options();
  options.idle_timeout = std::chrono::milliseconds(300);
  start(options);
  RawConnection client(port());
  ASSERT_TRUE(client.send(get_request("/")));
  ASSERT_TRUE(client.read_response());
  auto began = std::chrono::steady_clock::now();
  EXPECT_TRUE(client.wait_closed());
  EXPECT_GE(std::chrono::steady_clock::now() - began, std::chrono::milliseconds(250));
}

TEST_F(ServerTest, FullWorkerPoolAnswers503WithRetryAfter) {
  start(local_options(), /*worker_threads=*/1, /*queue_capacity=*/1);
  // Occupy the only worker and the only queue slot.
  auto started = make_promise();
  ASSERT_TRUE(workers_->try_submit([this, started] {
    started->set_value();
    gate_.wait();
  }));
  started->get_future().wait();
  auto filler_ran = make_promise();
  ASSERT_TRUE(workers_->try_submit([filler_ran] { filler_ran->set_value(); }));

  RawConnection client(port());
  ASSERT_TRUE(client.send(get_request("/busy")));
  auto response = client.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 503);
  EXPECT_EQ(response->header("Retry-After"), "1");
  EXPECT_EQ(problem_code(*response), "overloaded");
  auto json = boost::json::parse(response->body).as_object();
  EXPECT_EQ(json.at("title").as_string(), "Service Unavailable");
  EXPECT_EQ(json.at("detail").as_string(), "The server is overloaded; try again shortly.");

  gate_.open();
  filler_ran->get_future().wait();  // the queue is empty again
  // The connection stays usable once the pool has room again.
  ASSERT_TRUE(client.send(get_request("/later")));
  auto later = client.read_response();
  ASSERT_TRUE(later);
  EXPECT_EQ(later->status, 200);
}

}  // namespace
}  // namespace mercato::test
