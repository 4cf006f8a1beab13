#include "http/server/listener.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core/bind_handler.hpp>

#include <exception>
#include <string>
#include <system_error>

#include "http/server/session.hpp"
#include "observability/logger.hpp"

namespace mercato::http {

namespace net = boost::asio;
namespace beast = boost::beast;
using tcp = net::ip::tcp;

namespace {

// Accept can fail repeatedly (EMFILE when out of descriptors); retrying at once would spin.
constexpr std::chrono::milliseconds accept_backoff{100};

void throw_if(beast::error_code ec, const tcp::endpoint& endpoint, const char* step) {
  if (!ec) return;
  auto where = std::string(step) + " " + endpoint.address().to_string() + ":" + std::to_string(endpoint.port());
  throw std::system_error(std::error_code(ec), where);
}

}  // namespace

Listener::Listener(net::io_context& ioc, const tcp::endpoint& endpoint, std::shared_ptr<ServerState> state)
    : ioc_(ioc), acceptor_(net::make_strand(ioc)), backoff_(acceptor_.get_executor()), state_(std::move(state)) {
  beast::error_code ec;
  acceptor_.open(endpoint.protocol(), ec);
  throw_if(ec, endpoint, "open");
  // Lets a restarted server bind while old connections sit in TIME_WAIT; on Linux it does not
  // let two servers share the port.
  acceptor_.set_option(net::socket_base::reuse_address(true), ec);
  throw_if(ec, endpoint, "set_option");
  acceptor_.bind(endpoint, ec);
  throw_if(ec, endpoint, "bind");
  acceptor_.listen(net::socket_base::max_listen_connections, ec);
  throw_if(ec, endpoint, "listen");
  port_ = acceptor_.local_endpoint(ec).port();
  throw_if(ec, endpoint, "local_endpoint");
}

void Listener::run() {
  net::dispatch(acceptor_.get_executor(), beast::bind_front_handler(&Listener::do_accept, shared_from_this()));
}

void Listener::stop() {
  net::post(acceptor_.get_executor(), [self = shared_from_this()] {
    self->stopped_ = true;
    beast::error_code ec;
    self->acceptor_.close(ec);
    self->backoff_.cancel();
  });
}

void Listener::do_accept() {
  if (stopped_) return;
  acceptor_.async_accept(net::make_strand(ioc_), beast::bind_front_handler(&Listener::on_accept, shared_from_this()));
}

void Listener::on_accept(beast::error_code ec, tcp::socket socket) {
  if (stopped_ || ec == net::error::operation_aborted) return;
  if (ec) {
    state_->log().warn("http_accept_failed", {{"error", ec.message()}});
    backoff_.expires_after(accept_backoff);
    backoff_.async_wait(beast::bind_front_handler(&Listener::on_backoff, shared_from_this()));
    return;
  }
  if (state_->shutting_down()) return;  // the socket closes as it goes out of scope
  try {
    std::make_shared<Session>(std::move(socket), state_)->run();
  } catch (const std::exception& e) {
    // Out of memory for one connection must not stop the accept loop.
    state_->log().error("http_session_failed", {{"error", e.what()}});
  }
  do_accept();
}

void Listener::on_backoff(beast::error_code ec) {
  if (ec) return;
  do_accept();
}

}  // namespace mercato::http
