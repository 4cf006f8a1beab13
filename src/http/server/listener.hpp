#pragma once
// Accepts connections and starts a Session for each, every one on a strand of its own.
// Internal to the transport.

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/error.hpp>

#include <cstdint>
#include <memory>

#include "http/server/server_state.hpp"

namespace mercato::http {

class Listener : public std::enable_shared_from_this<Listener> {
 public:
  // Opens, binds and listens; throws std::system_error on failure.
  Listener(boost::asio::io_context& ioc, const boost::asio::ip::tcp::endpoint& endpoint,
           std::shared_ptr<ServerState> state);

  void run();
  // Thread-safe: posts to the acceptor's strand.
  void stop();
  std::uint16_t port() const noexcept { return port_; }

 private:
  void do_accept();
  void on_accept(boost::beast::error_code ec, boost::asio::ip::tcp::socket socket);
  void on_backoff(boost::beast::error_code ec);

  boost::asio::io_context& ioc_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer backoff_;
  std::shared_ptr<ServerState> state_;
  std::uint16_t port_ = 0;
  bool stopped_ = false;
};

}  // namespace mercato::http
