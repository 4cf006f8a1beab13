// Streamed answers (Response::stream, Server-Sent Events) over a real socket: the header,
// the chunked framing of what the stream yields, heartbeats, the last chunk, and how the
// stream ends when the client goes away, the server stops or the client reads too slowly.

#include <sys/resource.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "http/event_stream.hpp"
#include "integration/server/server_fixture.hpp"
#include "support/sse_client.hpp"

namespace mercato::test {
namespace {

using namespace std::chrono_literals;
using Kind = SseClient::Kind;

// Polls `condition` every few milliseconds until it holds or `limit` passes.
bool eventually(const std::function<bool()>& condition, std::chrono::milliseconds limit = 5s) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (!condition()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(5ms);
  }
  return true;
}

// One stream a handler opened, with the number of times its on_cancel ran.
struct Opened {
  std::shared_ptr<http::EventStream> stream;
  std::shared_ptr<std::atomic<int>> cancels;
};

// What the handlers opened, shared with the test (handlers run on the worker pool).
class Streams {
 public:
  void add(Opened opened) {
    std::lock_guard lock(mutex_);
    opened_.push_back(std::move(opened));
  }
  std::size_t count() const {
    std::lock_guard lock(mutex_);
    return opened_.size();
  }
  // The index-th stream once a handler opened it; a null stream after `limit`.
  Opened wait_for(std::size_t index, std::chrono::milliseconds limit = 5s) const {
    if (!eventually([&] { return count() > index; }, limit)) return {};
    std::lock_guard lock(mutex_);
    return opened_[index];
  }

 private:
  mutable std::mutex mutex_;
  std::vector<Opened> opened_;
};

// What /stream... answers: the bound of the buffer and what the handler pushes first.
struct StreamPlan {
  std::size_t bound = 64 * 1024;
  std::string first_text;
};

class ServerStreamTest : public ServerTest {
 protected:
  // /stream answers with an EventStream (after pushing plan.first_text), anything else 200
  // with the path as body.
  void serve_streams(StreamPlan plan = {}) {
    handler = [streams = streams_, plan](http::Request& request) {
      if (request.path.rfind("/stream", 0) != 0) return http::Response{200, {}, request.path, false};
      auto stream = std::make_shared<http::EventStream>(plan.bound);
      auto cancels = std::make_shared<std::atomic<int>>(0);
      stream->on_cancel([cancels] { cancels->fetch_add(1); });
      if (!plan.first_text.empty()) stream->push(plan.first_text);
      streams->add({stream, cancels});
      http::Response response;
      response.headers.set("Content-Type", "text/event-stream");
      response.headers.set("Cache-Control", "no-store");
      response.stream = std::move(stream);
      return response;
    };
  }

  // Opens /stream on `client` and checks the header of the answer.
  void open_stream(SseClient& client, const std::string& target = "/stream") {
    ASSERT_TRUE(client.connected());
    ASSERT_TRUE(client.get(target));
    auto header = client.read_header();
    ASSERT_TRUE(header) << "no header";
    EXPECT_EQ(header->status, 200);
    EXPECT_EQ(header->header("Content-Type"), "text/event-stream");
    EXPECT_EQ(header->header("Transfer-Encoding"), "chunked");
    EXPECT_FALSE(header->header("Content-Length")) << "a stream has no length";
  }

  std::shared_ptr<Streams> streams_ = std::make_shared<Streams>();
};

TEST_F(ServerStreamTest, HeaderThenWhatIsPushedFromAnotherThreadAsChunks) {
  serve_streams({64 * 1024, "retry: 3000\n\n"});
  start();
  SseClient client(port());
  open_stream(client);
  ASSERT_TRUE(client.read_until("retry: 3000\n\n")) << "what the handler pushed before answering";
  auto opened = streams_->wait_for(0);
  ASSERT_TRUE(opened.stream);

  const std::vector<std::string> events{"id: 1\nevent: a\ndata: one\n\n", "id: 2\nevent: a\ndata: two\n\n",
                                        "id: 3\nevent: b\ndata: {\"x\":3}\n\n"};
  std::thread producer([&] {
    for (const auto& e : events) {
      EXPECT_TRUE(opened.stream->push(e));
      std::this_thread::sleep_for(20ms);  // pacing only: the client waits by reading
    }
  });
  bool all = client.read_until("data: {\"x\":3}\n\n");
  producer.join();
  ASSERT_TRUE(all) << "got: " << client.body() << " " << client.framing_error();
  EXPECT_FALSE(client.malformed()) << client.framing_error();
  EXPECT_EQ(client.body(), "retry: 3000\n\n" + events[0] + events[1] + events[2]);
  EXPECT_FALSE(client.saw_last_chunk());
  EXPECT_EQ(opened.cancels->load(), 0) << "cancelled while the client still listens";

  auto parsed = sse_events(client.body());
  ASSERT_EQ(parsed.size(), 3u);
  EXPECT_EQ(parsed[0].id, "1");
  EXPECT_EQ(parsed[2].data, "{\"x\":3}");
}

TEST_F(ServerStreamTest, ManyPushesArriveCompleteAndInOrder) {
  serve_streams();
  start();
  SseClient client(port());
  open_stream(client);
  auto opened = streams_->wait_for(0);
  ASSERT_TRUE(opened.stream);
  std::string expected;
  std::thread producer([&] {
    for (int i = 0; i < 500; ++i) {
      std::string e = "data: " + std::to_string(i) + "\n\n";
      if (!opened.stream->push(e)) {
        ADD_FAILURE() << "push " << i << " refused";
        return;
      }
    }
  });
  for (int i = 0; i < 500; ++i) expected += "data: " + std::to_string(i) + "\n\n";
  bool all = client.read_until("data: 499\n\n");
  producer.join();
  ASSERT_TRUE(all) << client.framing_error();
  EXPECT_EQ(client.body(), expected);
}

TEST_F(ServerStreamTest, HeartbeatCommentDuringSilence) {
  serve_streams();
  auto options = local_options();
  options.stream_heartbeat = 50ms;
  start(options);
  SseClient client(port());
  open_stream(client);
  auto opened = streams_->wait_for(0);
  ASSERT_TRUE(opened.stream);

  ASSERT_TRUE(client.read_until(": heartbeat\n\n", 5s)) << "no heartbeat; got: " << client.body();
  EXPECT_EQ(client.chunks().front(), ": heartbeat\n\n") << "the heartbeat is a chunk of its own";
  auto comments = parse_sse(client.body());
  ASSERT_FALSE(comments.empty());
  EXPECT_EQ(comments.front().comments, std::vector<std::string>{"heartbeat"});
  EXPECT_TRUE(sse_events(client.body()).empty()) << "a heartbeat is no event";

  // More of them while the silence lasts, and events still pass between them.
  auto seen = client.body().size();
  ASSERT_TRUE(client.read_until(": heartbeat\n\n", 5s, seen));
  ASSERT_TRUE(opened.stream->push("data: between\n\n"));
  ASSERT_TRUE(client.read_until("data: between\n\n", 5s));
  EXPECT_FALSE(client.malformed()) << client.framing_error();
  EXPECT_EQ(opened.cancels->load(), 0);
}

TEST_F(ServerStreamTest, NoHeartbeatBeforeTheSilenceLasts) {
  serve_streams();
  auto options = local_options();
  options.stream_heartbeat = 2s;
  start(options);
  SseClient client(port());
  open_stream(client);
  auto opened = streams_->wait_for(0);
  ASSERT_TRUE(opened.stream);
  ASSERT_TRUE(opened.stream->push("data: x\n\n"));
  ASSERT_TRUE(client.read_until("data: x\n\n"));
  auto piece = client.next_chunk(300ms);
  EXPECT_EQ(piece.kind, Kind::timeout) << "unexpected: " << piece.data;
}

TEST_F(ServerStreamTest, CloseSendsTheLastChunkAndClosesTheConnection) {
  serve_streams();
  start();
  SseClient client(port());
  open_stream(client);
  auto opened = streams_->wait_for(0);
  ASSERT_TRUE(opened.stream);
  ASSERT_TRUE(opened.stream->push("data: one\n\n"));
  ASSERT_TRUE(opened.stream->push("data: last\n\n"));
  opened.stream->close();

  EXPECT_TRUE(client.wait_closed(5s)) << "the connection stayed open after the stream ended";
  EXPECT_TRUE(client.saw_last_chunk()) << "ended without 0\\r\\n\\r\\n; got: " << client.body();
  EXPECT_FALSE(client.malformed()) << client.framing_error();
  EXPECT_EQ(client.body(), "data: one\n\ndata: last\n\n") << "what was queued before close() is sent first";
  EXPECT_FALSE(opened.stream->push("data: late\n\n"));
}

TEST_F(ServerStreamTest, StreamClosedByTheHandlerStillSendsItsText) {
  serve_streams({1024, "data: only\n\n"});
  handler = [inner = handler](http::Request& request) {
    auto response = inner(request);
    if (response.stream) response.stream->close();
    return response;
  };
  start();
  SseClient client(port());
  open_stream(client);
  EXPECT_TRUE(client.wait_closed(5s));
  EXPECT_TRUE(client.saw_last_chunk());
  EXPECT_EQ(client.body(), "data: only\n\n");
}

TEST_F(ServerStreamTest, ClientClosingCancelsTheStream) {
  serve_streams();
  auto options = local_options();
  options.stream_heartbeat = 50ms;
  start(options);
  auto client = std::make_unique<SseClient>(port());
  open_stream(*client);
  auto opened = streams_->wait_for(0);
  ASSERT_TRUE(opened.stream);
  ASSERT_TRUE(client->read_until(": heartbeat\n\n"));
  EXPECT_EQ(opened.cancels->load(), 0);

  client.reset();  // the browser tab goes away
  EXPECT_TRUE(eventually([&] { return opened.cancels->load() > 0; }, 5s))
      << "on_cancel never ran after the client closed";
  EXPECT_EQ(opened.cancels->load(), 1);
  EXPECT_TRUE(opened.stream->ended());
  EXPECT_FALSE(opened.stream->push("data: nobody\n\n")) << "the producer should learn the client is gone";
}

TEST_F(ServerStreamTest, StopEndsAnOpenStreamPromptly) {
  serve_streams();
  auto options = local_options();
  options.shutdown_grace = 10s;
  start(options);
  SseClient client(port());
  open_stream(client);
  auto opened = streams_->wait_for(0);
  ASSERT_TRUE(opened.stream);
  ASSERT_TRUE(opened.stream->push("data: before\n\n"));
  ASSERT_TRUE(client.read_until("data: before\n\n"));

  std::atomic<bool> stopped{false};
  auto began = std::chrono::steady_clock::now();
  std::thread stopper([&] {
    server_->stop();
    stopped = true;
  });
  bool closed = client.wait_closed(5s);
  client.close();  // ends the server's lingering read at once
  bool returned = eventually([&] { return stopped.load(); }, 5s);
  auto took = std::chrono::steady_clock::now() - began;
  stopper.join();  // returns after the grace at worst

  EXPECT_TRUE(closed) << "the client's connection stayed open";
  EXPECT_TRUE(client.saw_last_chunk()) << "the stream did not end with the last chunk";
  EXPECT_TRUE(returned) << "stop() hung on an open stream";
  EXPECT_LT(took, 5s) << "stop() waited for the grace instead of ending the stream";
  EXPECT_EQ(opened.cancels->load(), 1) << "the producer was not told";
  EXPECT_FALSE(opened.stream->push("data: after\n\n"));
}

TEST_F(ServerStreamTest, StreamAnsweredWhileStoppingEndsAtOnce) {
  auto entered = make_promise();
  serve_streams();
  handler = [this, entered, inner = handler](http::Request& request) {
    entered->set_value();
    gate_.wait();
    return inner(request);
  };
  start();
  SseClient client(port());
  ASSERT_TRUE(client.get("/stream"));
  entered->get_future().wait();
  std::thread stopper([this] { server_->stop(); });
  ASSERT_TRUE(eventually([&] { return !RawConnection::can_connect(port()); }, 5s));
  gate_.open();
  auto header = client.read_header();
  bool closed = client.wait_closed(5s);
  client.close();
  stopper.join();
  auto opened = streams_->wait_for(0, 1s);
  ASSERT_TRUE(opened.stream);
  ASSERT_TRUE(header) << "no header for the answer that was in flight";
  EXPECT_EQ(header->status, 200);
  EXPECT_TRUE(closed);
  EXPECT_EQ(opened.cancels->load(), 1);
}

// Deterministic overflow: more than the bound is pushed before the transport takes any.
TEST_F(ServerStreamTest, OverflowBeforeTheFirstWriteClosesTheConnection) {
  serve_streams({16, std::string(64, 'x')});
  start();
  SseClient client(port());
  open_stream(client);
  auto opened = streams_->wait_for(0);
  ASSERT_TRUE(opened.stream);
  EXPECT_TRUE(opened.stream->overflowed());
  EXPECT_TRUE(client.wait_closed(5s));
  EXPECT_FALSE(client.saw_last_chunk()) << "an overflow is no clean end: the client must reconnect";
  EXPECT_EQ(client.body(), "") << "the dropped text was sent anyway";
  EXPECT_TRUE(eventually([&] { return opened.cancels->load() == 1; }));
}

// A client that does not read: the kernel buffers fill, the chunk in flight waits, pushes
// pile up past the bound and the stream overflows. Once the transport gets to write again,
// it closes the connection instead of going on.
TEST_F(ServerStreamTest, SlowClientOverflowsAndIsDisconnected) {
  serve_streams({64 * 1024, {}});
  auto options = local_options();
  options.write_timeout = 60s;  // the close must come from the overflow, not from a timeout
  start(options);
  SseClient client(port(), 4096);
  open_stream(client);
  auto opened = streams_->wait_for(0);
  ASSERT_TRUE(opened.stream);

  const std::string event = "data: " + std::string(1000, 'p') + "\n\n";
  std::size_t pushed = 0;
  auto deadline = std::chrono::steady_clock::now() + 10s;
  while (opened.stream->push(event)) {
    ++pushed;
    if (std::chrono::steady_clock::now() > deadline) break;
  }
  ASSERT_TRUE(opened.stream->overflowed()) << "no overflow after " << pushed << " pushes";
  EXPECT_FALSE(opened.stream->push(event));

  // The client finally reads: it gets what the kernel held, then the connection ends.
  EXPECT_TRUE(client.wait_closed(10s));
  EXPECT_FALSE(client.saw_last_chunk());
  EXPECT_TRUE(eventually([&] { return opened.cancels->load() == 1; }));
  EXPECT_LT(client.body().size(), pushed * event.size()) << "nothing was dropped";
}

// While a write waits for a client that does not read, the heartbeat timer must not fire
// over and over: that would keep an io thread busy for as long as the write waits.
TEST_F(ServerStreamTest, BlockedWriteDoesNotSpinTheHeartbeat) {
  serve_streams({32 * 1024 * 1024, {}});
  auto options = local_options();
  options.stream_heartbeat = 20ms;
  options.write_timeout = 60s;
  start(options);
  SseClient client(port(), 4096);
  open_stream(client);
  auto opened = streams_->wait_for(0);
  ASSERT_TRUE(opened.stream);
  ASSERT_TRUE(opened.stream->push(std::string(16 * 1024 * 1024, 'z')));  // far more than the kernel buffers hold
  std::this_thread::sleep_for(300ms);  // the write is stuck by now; let heartbeats come due

  auto cpu = [] {
    rusage usage{};
    ::getrusage(RUSAGE_SELF, &usage);
    return std::chrono::seconds(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
           std::chrono::microseconds(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec);
  };
  auto cpu_before = cpu();
  auto wall_before = std::chrono::steady_clock::now();
  std::this_thread::sleep_for(1s);  // measuring an interval: nothing to poll
  auto used = cpu() - cpu_before;
  auto wall = std::chrono::steady_clock::now() - wall_before;
  EXPECT_LT(used * 4, wall) << "the process burnt "
                            << std::chrono::duration_cast<std::chrono::milliseconds>(used).count() << " ms of CPU in "
                            << std::chrono::duration_cast<std::chrono::milliseconds>(wall).count()
                            << " ms while one stream waited for its client";
  client.close();  // unread data: the write fails and the session ends
  EXPECT_TRUE(eventually([&] { return opened.cancels->load() == 1; }));
}

// Once the blocked write went out, the silence is counted from it again: heartbeats come back,
// whole and in a chunk of their own, after the data.
TEST_F(ServerStreamTest, HeartbeatResumesAfterABlockedWrite) {
  serve_streams({8 * 1024 * 1024, {}});
  auto options = local_options();
  options.stream_heartbeat = 50ms;
  options.write_timeout = 60s;
  start(options);
  SseClient client(port(), 4096);
  open_stream(client);
  auto opened = streams_->wait_for(0);
  ASSERT_TRUE(opened.stream);
  const std::string data = "data: " + std::string(4 * 1024 * 1024, 'z') + "\n\n";
  ASSERT_TRUE(opened.stream->push(data));
  std::this_thread::sleep_for(300ms);  // the write is stuck; heartbeats come due meanwhile

  ASSERT_TRUE(client.read_until(data, 20s)) << "the blocked data never arrived whole";
  auto after = client.body().find(data) + data.size();
  ASSERT_TRUE(client.read_until(": heartbeat\n\n", 5s, after)) << "no heartbeat after the blocked write";
  EXPECT_FALSE(client.malformed()) << client.framing_error();
  auto rest = parse_sse(std::string_view(client.body()).substr(after));
  ASSERT_FALSE(rest.empty());
  for (const auto& block : rest) EXPECT_EQ(block.comments, std::vector<std::string>{"heartbeat"});
  EXPECT_EQ(opened.cancels->load(), 0);
}

TEST_F(ServerStreamTest, HeadRequestGetsNoStreamAndCancelsIt) {
  serve_streams();
  start();
  RawConnection client(port());
  ASSERT_TRUE(client.send("HEAD /stream HTTP/1.1\r\nHost: localhost\r\n\r\n"));
  auto response = client.read_response(true);
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  auto opened = streams_->wait_for(0);
  ASSERT_TRUE(opened.stream);
  EXPECT_TRUE(eventually([&] { return opened.cancels->load() == 1; }))
      << "a stream the transport never writes must be cancelled (its producer would keep it)";
}

TEST_F(ServerStreamTest, Http10StreamIsUnchunkedAndEndsWithTheConnection) {
  serve_streams({1024, "data: hello\n\n"});
  start();
  SseClient client(port());
  ASSERT_TRUE(client.send("GET /stream HTTP/1.0\r\nHost: localhost\r\n\r\n"));
  auto header = client.read_header();
  ASSERT_TRUE(header);
  EXPECT_EQ(header->status, 200);
  EXPECT_FALSE(header->header("Transfer-Encoding")) << "HTTP/1.0 has no chunked coding";
  EXPECT_FALSE(header->header("Content-Length"));
  ASSERT_TRUE(client.read_raw_until("data: hello\n\n"));
  auto opened = streams_->wait_for(0);
  ASSERT_TRUE(opened.stream);
  ASSERT_TRUE(opened.stream->push("data: more\n\n"));
  ASSERT_TRUE(client.read_raw_until("data: more\n\n"));
  opened.stream->close();
  EXPECT_FALSE(client.read_raw_until("never", 5s));
  EXPECT_TRUE(client.closed_by_server()) << "the end of an HTTP/1.0 stream is the end of the connection";
  EXPECT_EQ(client.body(), "data: hello\n\ndata: more\n\n");
}

// A stream holds no worker: with one worker and two streams open, a third client is
// still answered.
TEST_F(ServerStreamTest, OpenStreamsHoldNoWorker) {
  serve_streams();
  start(local_options(), 1, 4);
  SseClient first(port()), second(port());
  open_stream(first);
  open_stream(second);
  ASSERT_EQ(streams_->count(), 2u);

  RawConnection plain(port(), 5s);
  ASSERT_TRUE(plain.send(get_request("/plain")));
  auto response = plain.read_response();
  ASSERT_TRUE(response) << "no answer while two streams are open on a one-worker pool";
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, "/plain");

  // Both streams still work.
  auto a = streams_->wait_for(0), b = streams_->wait_for(1);
  ASSERT_TRUE(a.stream->push("data: a\n\n"));
  ASSERT_TRUE(b.stream->push("data: b\n\n"));
  EXPECT_TRUE(first.read_until("data: a\n\n"));
  EXPECT_TRUE(second.read_until("data: b\n\n"));
}

TEST_F(ServerStreamTest, StreamAfterAKeepAliveRequestOnTheSameConnection) {
  serve_streams({1024, "data: hi\n\n"});
  start();
  SseClient client(port());
  ASSERT_TRUE(client.get("/plain"));
  auto plain = client.read_header();
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->body, "/plain");
  open_stream(client);
  EXPECT_TRUE(client.read_until("data: hi\n\n")) << client.framing_error();
}

}  // namespace
}  // namespace mercato::test
