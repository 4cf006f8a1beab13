#pragma once
// One HTTP/1.1 connection: reads one request at a time with limits and deadlines, hands it to
// the worker pool, writes the answer on the connection's strand, and repeats while keep-alive.
// Internal to the transport.

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/serializer.hpp>
#include <boost/beast/http/string_body.hpp>

#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "http/server/server_state.hpp"

namespace mercato::http {

class Session : public std::enable_shared_from_this<Session> {
 public:
  // `socket` must use a strand of its own as executor.
  Session(boost::asio::ip::tcp::socket socket, std::shared_ptr<ServerState> state);
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;
  ~Session();

  void run();
  // Thread-safe: posts to the strand. Closes the connection if it waits for a request;
  // a request in flight is answered first (with Connection: close).
  void shutdown();
  // Only when no io thread runs any more (the end of Server::stop).
  void force_close();

 private:
  enum class Phase { idle, reading, handling, writing, streaming, closing, closed };
  using Clock = std::chrono::steady_clock;

  void do_wait_for_request();
  void on_first_bytes(boost::beast::error_code ec, std::size_t bytes);
  void do_read_header();
  void on_read_header(boost::beast::error_code ec, std::size_t bytes);
  void do_continue();
  void do_read_body();
  void on_read_body(boost::beast::error_code ec, std::size_t bytes);
  bool header_acceptable();
  void dispatch_request();
  void on_handled(Response response);
  void send(Response response, bool close);
  void on_write(bool close, boost::beast::error_code ec, std::size_t bytes);
  void do_linger();
  void on_linger(boost::beast::error_code ec, std::size_t bytes);
  void reject(Response response, std::string_view reason);  // answers, then closes
  void fail(boost::beast::error_code ec, std::string_view stage);
  void close();

  // A streamed answer (Server-Sent Events), in session_stream.cpp: the header, then each
  // piece the EventStream yields as a chunk, heartbeats in the silences, and the last chunk
  // when the stream ends. The connection closes after it. No worker is held meanwhile.
  void start_stream(Response response);
  void on_stream_header(boost::beast::error_code ec, std::size_t bytes);
  void pump_stream();
  void write_chunk(std::string text);
  void on_chunk_written(boost::beast::error_code ec, std::size_t bytes);
  void arm_heartbeat();
  void on_heartbeat(boost::beast::error_code ec);
  void finish_stream();
  void write_last_chunk();
  void on_stream_finished(boost::beast::error_code ec, std::size_t bytes);
  void end_event_stream();  // tells the producer, once

  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  boost::beast::http::response<boost::beast::http::string_body> response_;
  std::shared_ptr<ServerState> state_;
  std::uint64_t id_ = 0;
  std::string remote_address_;
  Phase phase_ = Phase::idle;
  Clock::time_point deadline_;  // for the whole request being read
  bool first_request_ = true;
  bool keep_alive_ = true;  // what the current request asked for
  bool head_request_ = false;
  std::size_t header_fields_ = 0;  // fields before the body; the rest are trailers
  unsigned version_ = 11;
  std::array<char, 512> discard_{};  // lingering close drains into this

  std::shared_ptr<EventStream> event_stream_;
  std::optional<boost::beast::http::response<boost::beast::http::empty_body>> stream_header_;
  std::optional<boost::beast::http::response_serializer<boost::beast::http::empty_body>> stream_serializer_;
  std::string chunk_;  // being written
  bool chunk_in_flight_ = false;
  bool stream_finishing_ = false;
  std::optional<boost::asio::steady_timer> heartbeat_;
  Clock::time_point last_stream_write_{};
};

}  // namespace mercato::http
