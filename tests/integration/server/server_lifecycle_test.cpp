// Start, bind failure, graceful stop and run_until_signal.

#include <future>
#include <system_error>
#include <thread>

#include "integration/server/server_fixture.hpp"

namespace mercato::test {
namespace {

TEST_F(ServerTest, BindsAnEphemeralPort) {
  start();
  EXPECT_NE(port(), 0);
  EXPECT_TRUE(RawConnection::can_connect(port()));
}

TEST_F(ServerTest, BindFailureThrowsSystemError) {
  start();
  WorkerPool workers(1, 1);
  auto options = local_options();
  options.port = port();
  http::Server second(options, handler, workers, log_);
  EXPECT_THROW(second.start(), std::system_error);
}

TEST_F(ServerTest, StopAnswersTheRequestInFlightAndClosesIdleConnections) {
  auto entered = make_promise();
  const std::string big_body(std::size_t{100} * 1024, 'z');
  handler = [this, entered, big_body](http::Request& request) {
    if (request.path == "/slow") {
      entered->set_value();
      gate_.wait();
      return http::Response{200, {}, big_body, false};
    }
    return http::Response{200, {}, "quick", false};
  };
  start();

  RawConnection idle(port());  // answered once, then waits for its next request
  ASSERT_TRUE(idle.send(get_request("/quick")));
  ASSERT_TRUE(idle.read_response());
  RawConnection busy(port());
  ASSERT_TRUE(busy.send(get_request("/slow")));
  entered->get_future().wait();

  std::jthread stopper([this] { server_->stop(); });
  // The idle connection closing proves the shutdown reached the sessions.
  EXPECT_TRUE(idle.wait_closed());
  gate_.open();
  auto response = busy.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, big_body);
  EXPECT_EQ(response->header("Connection"), "close");
  EXPECT_TRUE(busy.wait_closed());
  stopper.join();

  EXPECT_FALSE(RawConnection::can_connect(port()));
  server_->stop();  // idempotent
}

TEST_F(ServerTest, ShutdownGraceBoundsAStuckHandler) {
  auto entered = make_promise();
  handler = [this, entered](http::Request&) {
    entered->set_value();
    gate_.wait();
    return http::Response::no_content();
  };
  auto options = local_options();
  options.shutdown_grace = std::chrono::milliseconds(200);
  start(options);
  RawConnection client(port());
  ASSERT_TRUE(client.send(get_request("/stuck")));
  entered->get_future().wait();

  server_->stop();  // returns after the grace although the handler still runs
  EXPECT_TRUE(client.wait_closed());
  gate_.open();  // ~Server (in TearDown) waits for the handler to return
}

TEST_F(ServerTest, RunUntilSignalReturnsWhenStoppedFromAnotherThread) {
  start();
  auto running = std::async(std::launch::async, [this] { server_->run_until_signal(); });
  server_->stop();
  running.get();
  EXPECT_FALSE(RawConnection::can_connect(port()));
}

}  // namespace
}  // namespace mercato::test
