#include "db/database.hpp"

#include "db/error.hpp"

namespace mercato::db {

Lease::~Lease() {
  if (connection_) owner_->give_back(std::move(connection_));
}

Database::Database(Dialect dialect, ConnectionFactory factory, PoolOptions options)
    : dialect_(dialect), factory_(std::move(factory)), options_(options) {}

Lease Database::acquire() {
  std::unique_lock lock(mutex_);
  auto deadline = std::chrono::steady_clock::now() + options_.acquire_timeout;
  while (true) {
    if (closed_) throw DbError(Failure::unavailable, "database pool is closed");
    if (!idle_.empty()) {
      auto connection = std::move(idle_.back());
      idle_.pop_back();
      return Lease{*this, std::move(connection)};
    }
    if (open_ < options_.max_connections) {
      ++open_;
      lock.unlock();
      try {
        return Lease{*this, factory_()};  // connecting happens outside the lock
      } catch (...) {
        lock.lock();
        --open_;
        available_.notify_one();
        throw;
      }
    }
    if (available_.wait_until(lock, deadline) == std::cv_status::timeout && idle_.empty() &&
        open_ >= options_.max_connections)
      throw DbError(Failure::unavailable, "timed out waiting for a database connection");
  }
}

void Database::give_back(std::unique_ptr<Connection> connection) noexcept {
  std::lock_guard lock(mutex_);
  if (closed_ || !connection->usable()) {
    --open_;
    connection.reset();
  } else {
    idle_.push_back(std::move(connection));
  }
  available_.notify_one();
}

void Database::close() {
  std::lock_guard lock(mutex_);
  closed_ = true;
  open_ -= idle_.size();
  idle_.clear();
  available_.notify_all();
}

}  // namespace mercato::db
