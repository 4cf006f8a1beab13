#include "db/postgres/pg_listener.hpp"

#include <libpq-fe.h>
#include <poll.h>

#include <chrono>

#include "db/error.hpp"
#include "db/postgres/pg_connection.hpp"
#include "observability/logger.hpp"

namespace mercato::db {

namespace {

constexpr std::chrono::milliseconds poll_interval{200};  // how soon stop() is noticed
constexpr std::chrono::seconds max_backoff{5};

struct NotifyFree {
  void operator()(PGnotify* notify) const noexcept { PQfreemem(notify); }
};

std::string quoted_identifier(const std::string& name) {
  std::string quoted = "\"";
  for (char c : name) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

}  // namespace

PgListener::PgListener(std::string conninfo, std::string channel, OnNotify on_notify, observability::Logger& log)
    : conninfo_(std::move(conninfo)), channel_(std::move(channel)), on_notify_(std::move(on_notify)), log_(log) {}

PgListener::~PgListener() { stop(); }

void PgListener::start() {
  thread_ = std::thread([this] { run(); });
  while (!first_attempt_done_.load()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

void PgListener::stop() {
  stopping_ = true;
  if (thread_.joinable()) thread_.join();
}

void PgListener::run() {
  auto backoff = std::chrono::milliseconds(250);
  while (!stopping_) {
    bool clean = false;
    try {
      clean = listen_once();
    } catch (const std::exception& e) {
      log_.warn("pg_listen_failed", {{"channel", channel_}, {"detail", e.what()}});
    }
    first_attempt_done_ = true;
    if (clean || stopping_) break;
    for (auto waited = std::chrono::milliseconds(0); waited < backoff && !stopping_; waited += poll_interval)
      std::this_thread::sleep_for(poll_interval);
    backoff = std::min<std::chrono::milliseconds>(backoff * 2, max_backoff);
  }
}

// True when it ended because of stop(); false when the connection broke.
bool PgListener::listen_once() {
  PgConnection connection(conninfo_);
  connection.execute_script("LISTEN " + quoted_identifier(channel_));
  first_attempt_done_ = true;
  log_.info("pg_listening", {{"channel", channel_}});
  PGconn* conn = connection.native_handle();
  while (!stopping_) {
    pollfd fd{PQsocket(conn), POLLIN, 0};
    if (fd.fd < 0) return false;
    int ready = ::poll(&fd, 1, static_cast<int>(poll_interval.count()));
    if (ready < 0) continue;  // interrupted by a signal
    if (ready == 0) continue;
    if (PQconsumeInput(conn) == 0) {
      log_.warn("pg_listen_connection_lost", {{"channel", channel_}, {"detail", PQerrorMessage(conn)}});
      return false;
    }
    while (auto* raw = PQnotifies(conn)) {
      std::unique_ptr<PGnotify, NotifyFree> notify(raw);
      on_notify_(notify->extra ? notify->extra : "");
    }
  }
  return true;
}

}  // namespace mercato::db
