#include "http/server/server_state.hpp"

#include <exception>

#include "http/server/transport_error.hpp"
#include "observability/logger.hpp"

namespace mercato::http {

std::uint64_t ServerState::add_session(std::weak_ptr<Session> session) {
  std::lock_guard lock(sessions_mutex_);
  auto id = next_session_id_++;
  sessions_.emplace(id, std::move(session));
  return id;
}

void ServerState::remove_session(std::uint64_t id) {
  std::lock_guard lock(sessions_mutex_);
  sessions_.erase(id);
}

std::vector<std::shared_ptr<Session>> ServerState::live_sessions() {
  std::vector<std::weak_ptr<Session>> weak;
  {
    std::lock_guard lock(sessions_mutex_);
    weak.reserve(sessions_.size());
    for (const auto& entry : sessions_) weak.push_back(entry.second);
  }
  // Locked outside the mutex: dropping the last reference runs ~Session, which unregisters.
  std::vector<std::shared_ptr<Session>> live;
  for (auto& session : weak)
    if (auto locked = session.lock()) live.push_back(std::move(locked));
  return live;
}

Response ServerState::call_handler(Request& request) noexcept {
  try {
    return handler_(request);
  } catch (const std::exception& e) {
    log_.error("http_handler_exception", {{"error", e.what()}, {"path", request.path}});
  } catch (...) {
    log_.error("http_handler_exception", {{"error", "unknown exception"}, {"path", request.path}});
  }
  try {
    return handler_failed();
  } catch (...) {
    return Response{500, {}, {}, true, nullptr};  // out of memory while building the problem
  }
}

void ServerState::begin_task() {
  std::lock_guard lock(tasks_mutex_);
  ++tasks_in_flight_;
}

void ServerState::end_task() {
  {
    std::lock_guard lock(tasks_mutex_);
    --tasks_in_flight_;
  }
  tasks_done_.notify_all();
}

void ServerState::wait_for_tasks() {
  std::unique_lock lock(tasks_mutex_);
  tasks_done_.wait(lock, [this] { return tasks_in_flight_ == 0; });
}

}  // namespace mercato::http
