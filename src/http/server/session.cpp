#include "http/server/session.hpp"

#include <boost/asio/buffer.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include <algorithm>
#include <iterator>
#include <limits>
#include <utility>

#include "core/worker_pool.hpp"
#include "http/server/message_conversion.hpp"
#include "http/server/transport_error.hpp"
#include "observability/logger.hpp"

namespace mercato::http {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;
using observability::LogLevel;

namespace {

constexpr std::size_t first_read_size = 4096;
// After an answer that closes the connection, what the client still sends is drained for at
// most this long: closing with unread data would reset the connection, and the client could
// lose the answer (typically a 413) before reading it.
constexpr std::chrono::milliseconds linger_limit{2000};
constexpr std::string_view continue_line = "HTTP/1.1 100 Continue\r\n\r\n";

std::string peer_address(const tcp::socket& socket) {
  beast::error_code ec;
  auto endpoint = socket.remote_endpoint(ec);
  if (ec) return {};
  auto address = endpoint.address();
  if (address.is_v6() && address.to_v6().is_v4_mapped())
    return net::ip::make_address_v4(net::ip::v4_mapped, address.to_v6()).to_string();
  return address.to_string();
}

// The client went away, a deadline passed or we closed the socket: normal life, not an error.
bool is_network_condition(beast::error_code ec) {
  return ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message || ec == beast::error::timeout ||
         ec == net::error::operation_aborted || ec == net::error::eof || ec == net::error::connection_reset ||
         ec == net::error::broken_pipe || ec == net::error::not_connected || ec == net::error::bad_descriptor;
}

bool is_parse_error(beast::error_code ec) {
  return ec.category() == bhttp::make_error_code(bhttp::error::bad_method).category();
}

}  // namespace

Session::Session(tcp::socket socket, std::shared_ptr<ServerState> state)
    : stream_(std::move(socket)),
      state_(std::move(state)),
      remote_address_(peer_address(stream_.socket())),
      deadline_(Clock::now() + state_->options().read_timeout) {}

Session::~Session() {
  end_event_stream();
  if (id_ != 0) state_->remove_session(id_);
}

void Session::run() {
  // Registering before the first shutdown check means a concurrent stop() either finds this
  // session in the registry or this session finds the shutdown flag set.
  id_ = state_->add_session(weak_from_this());
  net::dispatch(stream_.get_executor(), beast::bind_front_handler(&Session::do_wait_for_request, shared_from_this()));
}

void Session::shutdown() {
  net::post(stream_.get_executor(), [self = shared_from_this()] {
    if (self->phase_ == Phase::idle) self->close();
    if (self->phase_ == Phase::streaming) self->finish_stream();
  });
}

void Session::force_close() { close(); }

// Waits for the first byte of a request: the connection is idle until it arrives.
void Session::do_wait_for_request() {
  if (state_->shutting_down()) return close();
  phase_ = Phase::idle;
  if (buffer_.size() > 0) {  // a pipelined request is already here
    deadline_ = Clock::now() + state_->options().read_timeout;
    return do_read_header();
  }
  if (first_request_)
    stream_.expires_at(deadline_);
  else
    stream_.expires_after(state_->options().idle_timeout);
  stream_.async_read_some(buffer_.prepare(first_read_size),
                          beast::bind_front_handler(&Session::on_first_bytes, shared_from_this()));
}

void Session::on_first_bytes(beast::error_code ec, std::size_t bytes) {
  if (ec) return fail(ec, "wait");
  buffer_.commit(bytes);
  if (!first_request_) deadline_ = Clock::now() + state_->options().read_timeout;
  do_read_header();
}

void Session::do_read_header() {
  phase_ = Phase::reading;
  const auto& options = state_->options();
  parser_.emplace();
  parser_->header_limit(static_cast<std::uint32_t>(
      std::min<std::size_t>(options.header_limit, std::numeric_limits<std::uint32_t>::max())));
  parser_->body_limit(options.body_limit);
  stream_.expires_at(deadline_);
  bhttp::async_read_header(stream_, buffer_, *parser_,
                           beast::bind_front_handler(&Session::on_read_header, shared_from_this()));
}

void Session::on_read_header(beast::error_code ec, std::size_t) {
  if (ec) return fail(ec, "read_header");
  if (!header_acceptable()) return;
  const auto& header = parser_->get();
  header_fields_ = static_cast<std::size_t>(std::distance(header.begin(), header.end()));
  if (parser_->is_done()) return dispatch_request();
  if (header.version() >= 11 && beast::iequals(header[bhttp::field::expect], "100-continue")) return do_continue();
  do_read_body();
}

// Request smuggling defence (RFC 9112 section 6.1): a request framed two ways, or by a coding
// other than chunked, is refused rather than guessed at.
bool Session::header_acceptable() {
  const auto& header = parser_->get();
  bool has_length = header.count(bhttp::field::content_length) > 0;
  bool has_encoding = header.count(bhttp::field::transfer_encoding) > 0;
  if (has_length && has_encoding) {
    reject(malformed_request("A request must not carry both Content-Length and Transfer-Encoding."),
           "ambiguous_framing");
    return false;
  }
  if (has_encoding && !parser_->chunked()) {
    reject(malformed_request("The only transfer coding accepted is chunked."), "transfer_coding");
    return false;
  }
  return true;
}

// The client waits for this before sending a body (curl does above 1 KiB).
void Session::do_continue() {
  net::async_write(stream_, net::buffer(continue_line.data(), continue_line.size()),
                   [self = shared_from_this()](beast::error_code ec, std::size_t) {
                     if (ec) return self->fail(ec, "continue");
                     self->do_read_body();
                   });
}

void Session::do_read_body() {
  stream_.expires_at(deadline_);
  bhttp::async_read(stream_, buffer_, *parser_, beast::bind_front_handler(&Session::on_read_body, shared_from_this()));
}

void Session::on_read_body(beast::error_code ec, std::size_t) {
  if (ec) return fail(ec, "read_body");
  dispatch_request();
}

void Session::dispatch_request() {
  auto message = parser_->release();
  parser_.reset();
  keep_alive_ = message.keep_alive();
  version_ = message.version();
  head_request_ = message.method() == bhttp::verb::head;
  auto request = to_request(message, header_fields_, remote_address_);
  if (!request) return reject(malformed_request("The request target is not a valid path."), "invalid_target");

  phase_ = Phase::handling;
  stream_.expires_never();
  state_->begin_task();
  // Work is tracked on the reply executor so that the io threads wait for this answer.
  auto job = [state = state_, self = shared_from_this(),
              reply_to = net::prefer(stream_.get_executor(), net::execution::outstanding_work.tracked),
              request = std::move(*request)]() mutable {
    {
      auto session = std::move(self);
      auto executor = std::move(reply_to);
      auto response = state->call_handler(request);
      net::post(executor, [session = std::move(session), response = std::move(response)]() mutable {
        session->on_handled(std::move(response));
      });
    }
    // Nothing of the io_context is held any more: only now may ~Server proceed.
    state->end_task();
  };
  if (!state_->workers().try_submit(std::move(job))) {
    state_->end_task();
    state_->log().warn("http_overloaded", {{"remote_address", remote_address_}});
    send(overloaded(), !keep_alive_);
  }
}

void Session::on_handled(Response response) {
  if (phase_ != Phase::handling) {  // force-closed meanwhile
    if (response.stream) response.stream->cancel();
    return;
  }
  if (response.stream && !head_request_) return start_stream(std::move(response));
  if (response.stream) response.stream->cancel();
  send(std::move(response), !keep_alive_);
}

void Session::send(Response response, bool close) {
  phase_ = Phase::writing;
  WireContext context{version_, head_request_, close || state_->shutting_down()};
  response_ = to_wire(std::move(response), context, state_->log());
  stream_.expires_after(state_->options().write_timeout);
  bhttp::async_write(stream_, response_,
                     beast::bind_front_handler(&Session::on_write, shared_from_this(), context.close));
}

void Session::on_write(bool close, beast::error_code ec, std::size_t) {
  if (ec) return fail(ec, "write");
  response_ = {};
  if (close) return do_linger();
  first_request_ = false;
  do_wait_for_request();
}

// Half-close, then drain until the client closes too (or the short deadline passes).
void Session::do_linger() {
  phase_ = Phase::closing;
  beast::error_code ec;
  stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
  if (ec) return close();
  stream_.expires_after(std::min<std::chrono::milliseconds>(linger_limit, state_->options().read_timeout));
  stream_.async_read_some(net::buffer(discard_), beast::bind_front_handler(&Session::on_linger, shared_from_this()));
}

void Session::on_linger(beast::error_code ec, std::size_t) {
  if (ec) return close();
  stream_.async_read_some(net::buffer(discard_), beast::bind_front_handler(&Session::on_linger, shared_from_this()));
}

void Session::reject(Response response, std::string_view reason) {
  state_->log().info("http_request_rejected",
                     {{"status", response.status}, {"reason", reason}, {"remote_address", remote_address_}});
  parser_.reset();
  head_request_ = false;
  version_ = 11;
  send(std::move(response), true);
}

void Session::fail(beast::error_code ec, std::string_view stage) {
  if (phase_ == Phase::reading && !is_network_condition(ec)) {
    if (ec == bhttp::error::body_limit) return reject(body_too_large(), "body_limit");
    if (ec == bhttp::error::header_limit) return reject(headers_too_large(), "header_limit");
    if (is_parse_error(ec)) return reject(malformed_request("The request is not valid HTTP/1.1."), ec.message());
  }
  auto level = is_network_condition(ec) ? LogLevel::debug : LogLevel::warn;
  if (state_->log().enabled(level))
    state_->log().log(level, "http_connection_closed",
                      {{"stage", stage}, {"error", ec.message()}, {"remote_address", remote_address_}});
  close();
}

void Session::close() {
  phase_ = Phase::closed;
  end_event_stream();
  if (heartbeat_) heartbeat_->cancel();
  beast::error_code ec;
  stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
  stream_.close();  // cancels what is pending; the handlers then end the session
}

}  // namespace mercato::http
