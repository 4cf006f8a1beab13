#include "http/server/server.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>

#include <algorithm>
#include <condition_variable>
#include <csignal>
#include <exception>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <system_error>
#include <thread>
#include <vector>

#include "http/server/listener.hpp"
#include "http/server/server_state.hpp"
#include "http/server/session.hpp"
#include "observability/logger.hpp"

namespace mercato::http {

namespace net = boost::asio;
using tcp = net::ip::tcp;

class Server::Impl {
 public:
  Impl(ServerOptions options, RequestHandler handler, WorkerPool& workers, observability::Logger& log)
      : ioc_(static_cast<int>(std::max<std::size_t>(options.io_threads, 1))),
        state_(std::make_shared<ServerState>(std::move(options), std::move(handler), workers, log)) {}

  ~Impl() {
    stop();
    // Handler calls still on the worker pool use the handler and post to ioc_.
    state_->wait_for_tasks();
  }

  void start();
  std::uint16_t port() const { return port_; }
  void run_until_signal();
  void stop();

 private:
  void run_io();
  bool wait_for_io_threads(std::chrono::milliseconds limit);
  void wake_signal_waiter();
  void arm_signals();  // with lifecycle_mutex_ held

  // Declared first so that it is destroyed last: everything below refers to it.
  net::io_context ioc_;
  std::shared_ptr<ServerState> state_;
  std::shared_ptr<Listener> listener_;
  std::optional<net::signal_set> signals_;
  std::vector<std::thread> threads_;
  std::uint16_t port_ = 0;

  std::mutex lifecycle_mutex_;  // held by start(), stop() and while arming the signal set
  bool started_ = false;
  bool stopped_ = false;

  std::mutex io_mutex_;
  std::condition_variable io_done_;
  std::size_t io_running_ = 0;

  std::mutex signal_mutex_;
  std::condition_variable signal_cv_;
  bool signal_woken_ = false;
};

void Server::Impl::start() {
  std::lock_guard lock(lifecycle_mutex_);
  if (started_ || stopped_) throw std::logic_error("Server::start called twice or after stop");
  const auto& options = state_->options();
  boost::system::error_code ec;
  auto address = net::ip::make_address(options.address, ec);
  if (ec) throw std::system_error(std::error_code(ec), "invalid listen address " + options.address);
  listener_ = std::make_shared<Listener>(ioc_, tcp::endpoint(address, options.port), state_);
  port_ = listener_->port();
  listener_->run();
  auto count = std::max<std::size_t>(options.io_threads, 1);
  io_running_ = count;
  threads_.reserve(count);
  for (std::size_t i = 0; i < count; ++i) threads_.emplace_back([this] { run_io(); });
  started_ = true;
  // Armed before start() returns, so a signal sent once the caller has announced the port
  // is never lost to the default action.
  if (options.handle_signals) arm_signals();
  state_->log().log(observability::LogLevel::debug, "server_listening",
                    {{"address", options.address}, {"port", port_}});
}

void Server::Impl::run_io() {
  for (;;) {
    try {
      ioc_.run();
      break;
    } catch (const std::exception& e) {
      // A bug in one connection's handler must not take the server down.
      state_->log().error("server_io_exception", {{"error", e.what()}});
    }
  }
  {
    std::lock_guard lock(io_mutex_);
    --io_running_;
  }
  io_done_.notify_all();
}

void Server::Impl::run_until_signal() {
  {
    std::lock_guard lock(lifecycle_mutex_);
    if (!started_) throw std::logic_error("Server::run_until_signal called before start");
    if (stopped_) return;
    arm_signals();
  }
  {
    std::unique_lock lock(signal_mutex_);
    signal_cv_.wait(lock, [this] { return signal_woken_; });
  }
  stop();
}

void Server::Impl::arm_signals() {
  if (signals_) return;  // a second caller just waits alongside the first
  signals_.emplace(ioc_, SIGINT, SIGTERM);
  signals_->async_wait([this](boost::system::error_code ec, int signal) {
    if (!ec) state_->log().info("server_signal", {{"signal", signal}});
    wake_signal_waiter();
  });
}

void Server::Impl::wake_signal_waiter() {
  {
    std::lock_guard lock(signal_mutex_);
    signal_woken_ = true;
  }
  signal_cv_.notify_all();
}

void Server::Impl::stop() {
  std::lock_guard lock(lifecycle_mutex_);
  wake_signal_waiter();
  if (stopped_) return;
  stopped_ = true;
  if (!started_) return;
  const auto grace = state_->options().shutdown_grace;
  state_->log().info("server_stopping", {{"grace_ms", grace.count()}});
  state_->begin_shutdown();
  listener_->stop();
  if (signals_) net::post(ioc_, [this] { signals_->cancel(); });
  for (auto& session : state_->live_sessions()) session->shutdown();

  bool graceful = wait_for_io_threads(grace);
  if (!graceful) {
    state_->log().warn("server_shutdown_grace_expired", {});
    ioc_.stop();
  }
  for (auto& thread : threads_) thread.join();
  threads_.clear();
  // No io thread runs now, so touching the sessions from here is safe.
  for (auto& session : state_->live_sessions()) session->force_close();
  state_->log().info("server_drained", {{"graceful", graceful}});
}

bool Server::Impl::wait_for_io_threads(std::chrono::milliseconds limit) {
  std::unique_lock lock(io_mutex_);
  return io_done_.wait_for(lock, limit, [this] { return io_running_ == 0; });
}

Server::Server(ServerOptions options, RequestHandler handler, WorkerPool& workers, observability::Logger& log)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler), workers, log)) {}

Server::~Server() = default;

void Server::start() { impl_->start(); }
std::uint16_t Server::port() const { return impl_->port(); }
void Server::run_until_signal() { impl_->run_until_signal(); }
void Server::stop() { impl_->stop(); }

}  // namespace mercato::http
