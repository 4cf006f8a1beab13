#pragma once
// The HTTP/1.1 socket server: accepts connections, reads requests with limits and deadlines,
// runs the RequestHandler on the worker pool and writes its Response back.
// Beast and Asio stay behind the pimpl so that nothing above the transport compiles them.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "http/request.hpp"
#include "http/response.hpp"

namespace mercato {
class WorkerPool;
}
namespace mercato::observability {
class Logger;
}

namespace mercato::http {

// Runs on a worker thread, one call per request. Exceptions are caught and answered with 500,
// but the pipeline is expected to map its own errors.
using RequestHandler = std::function<Response(Request&)>;

struct ServerOptions {
  std::string address = "0.0.0.0";
  std::uint16_t port = 8080;  // 0 = any free port; see Server::port()
  std::size_t io_threads = 1;
  std::size_t header_limit = 8 * std::size_t{1024};  // request line and header fields
  std::size_t body_limit = 1024 * std::size_t{1024};
  // A request (header and body) must arrive in full within read_timeout of its first byte; the
  // first request of a connection within read_timeout of the accept. Defeats slowloris.
  std::chrono::milliseconds read_timeout{10000};
  // How long a keep-alive connection may wait for the first byte of its next request.
  std::chrono::milliseconds idle_timeout{30000};
  // How long a client may take to accept a whole response.
  std::chrono::milliseconds write_timeout{10000};
  // A streamed answer (Server-Sent Events) gets a comment line after this much silence.
  std::chrono::milliseconds stream_heartbeat{15000};
  // stop() waits this long for requests in flight, then closes every connection.
  std::chrono::milliseconds shutdown_grace{10000};
  // Catch SIGINT/SIGTERM from start() on (for run_until_signal); off for in-process tests.
  bool handle_signals = false;
};

class Server {
 public:
  // `workers` and `log` belong to the caller and must outlive the Server.
  Server(ServerOptions options, RequestHandler handler, WorkerPool& workers, observability::Logger& log);
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;
  // Stops (see stop()) and then waits for handler calls still running on the worker pool.
  ~Server();

  // Binds and listens, then starts the io threads. Throws std::system_error when the address
  // cannot be bound and std::logic_error when called twice or after stop().
  void start();
  // The bound port; meaningful after start().
  std::uint16_t port() const;
  // Blocks until SIGINT or SIGTERM (or a stop() from another thread), then stops gracefully.
  void run_until_signal();
  // Graceful and idempotent: stops accepting, closes idle connections, lets requests in flight
  // be answered (with Connection: close), and force-closes what remains after shutdown_grace.
  // Returns when the io threads have ended. Callable from any thread except an io thread.
  void stop();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace mercato::http
