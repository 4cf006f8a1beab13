// Session: streamed answers (Server-Sent Events). See session.hpp.

#include <boost/asio/buffer.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/http/chunk_encode.hpp>
#include <boost/beast/http/write.hpp>

#include "http/server/message_conversion.hpp"
#include "http/server/session.hpp"
#include "observability/logger.hpp"

namespace mercato::http {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

namespace {

constexpr std::string_view heartbeat_comment = ": heartbeat\n\n";

}  // namespace

// A stream always ends its connection.
void Session::start_stream(Response response) {
  phase_ = Phase::streaming;
  event_stream_ = std::move(response.stream);
  WireContext context{version_, false, true};
  stream_header_.emplace(to_wire_stream_header(response, context, state_->log()));
  stream_serializer_.emplace(*stream_header_);
  // The producer may push from any thread; the text is written here, on the strand. A weak
  // pointer: the stream must not keep a closed session alive.
  std::weak_ptr<Session> weak = weak_from_this();
  auto executor = stream_.get_executor();
  event_stream_->on_ready([weak, executor] {
    net::post(executor, [weak] {
      if (auto self = weak.lock()) self->pump_stream();
    });
  });
  stream_.expires_after(state_->options().write_timeout);
  bhttp::async_write_header(stream_, *stream_serializer_,
                            beast::bind_front_handler(&Session::on_stream_header, shared_from_this()));
}

void Session::on_stream_header(beast::error_code ec, std::size_t) {
  if (ec) return fail(ec, "stream_header");
  last_stream_write_ = Clock::now();
  heartbeat_.emplace(stream_.get_executor());
  arm_heartbeat();
  if (stream_finishing_) return write_last_chunk();
  if (state_->shutting_down()) return finish_stream();
  pump_stream();
}

void Session::pump_stream() {
  if (phase_ != Phase::streaming || chunk_in_flight_ || stream_finishing_ || !heartbeat_ || !event_stream_) return;
  auto text = event_stream_->take();
  if (!text.empty()) return write_chunk(std::move(text));
  if (event_stream_->overflowed()) {
    state_->log().info("sse_client_too_slow", {{"remote_address", remote_address_}});
    return close();
  }
  if (event_stream_->ended()) finish_stream();
}

void Session::write_chunk(std::string text) {
  chunk_ = std::move(text);
  chunk_in_flight_ = true;
  stream_.expires_after(state_->options().write_timeout);
  auto done = beast::bind_front_handler(&Session::on_chunk_written, shared_from_this());
  if (version_ >= 11)
    net::async_write(stream_, bhttp::make_chunk(net::buffer(chunk_)), std::move(done));
  else
    net::async_write(stream_, net::buffer(chunk_), std::move(done));
}

void Session::on_chunk_written(beast::error_code ec, std::size_t) {
  chunk_in_flight_ = false;
  if (ec) return fail(ec, "stream_write");
  last_stream_write_ = Clock::now();
  if (stream_finishing_) return write_last_chunk();
  pump_stream();
}

// Counted from the last write, or from now while a write is still under way (a deadline
// in the past would fire at once, again and again).
void Session::arm_heartbeat() {
  auto interval = state_->options().stream_heartbeat;
  auto deadline = last_stream_write_ + interval;
  if (deadline <= Clock::now()) deadline = Clock::now() + interval;
  heartbeat_->expires_at(deadline);
  heartbeat_->async_wait(beast::bind_front_handler(&Session::on_heartbeat, shared_from_this()));
}

// A comment after a silence keeps proxies from closing the stream and shows a vanished
// client as a failed write.
void Session::on_heartbeat(beast::error_code ec) {
  if (ec || phase_ != Phase::streaming) return;
  if (!chunk_in_flight_ && !stream_finishing_ && Clock::now() >= last_stream_write_ + state_->options().stream_heartbeat)
    write_chunk(std::string(heartbeat_comment));
  arm_heartbeat();
}

// Ends the stream after the chunk in flight, or after the header when that is still
// being written.
void Session::finish_stream() {
  if (stream_finishing_ || phase_ != Phase::streaming) return;
  stream_finishing_ = true;
  end_event_stream();
  if (heartbeat_ && !chunk_in_flight_) write_last_chunk();
}

void Session::write_last_chunk() {
  heartbeat_->cancel();
  stream_.expires_after(state_->options().write_timeout);
  auto done = beast::bind_front_handler(&Session::on_stream_finished, shared_from_this());
  if (version_ >= 11) return net::async_write(stream_, bhttp::make_chunk_last(), std::move(done));
  net::post(stream_.get_executor(), [done = std::move(done)]() mutable { done(beast::error_code{}, 0); });
}

void Session::on_stream_finished(beast::error_code ec, std::size_t) {
  if (ec) return fail(ec, "stream_end");
  do_linger();
}

// The producer may keep the stream after this session and its io_context are gone: it must
// not keep the session's executor in its callback.
void Session::end_event_stream() {
  if (auto stream = std::exchange(event_stream_, nullptr)) {
    stream->on_ready(nullptr);
    stream->cancel();
  }
}

}  // namespace mercato::http
