#pragma once
// A bounded pool of connections to one database. Lend a connection with acquire(); it
// returns to the pool when the lease ends, or is dropped when it broke.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "db/connection.hpp"

namespace mercato::db {

struct PoolOptions {
  std::size_t max_connections = 8;
  std::chrono::milliseconds acquire_timeout{2000};
};

using ConnectionFactory = std::function<std::unique_ptr<Connection>()>;

class Database;

class Lease {
 public:
  Lease(Database& owner, std::unique_ptr<Connection> connection) noexcept
      : owner_(&owner), connection_(std::move(connection)) {}
  Lease(Lease&& other) noexcept = default;
  Lease& operator=(Lease&&) = delete;
  Lease(const Lease&) = delete;
  ~Lease();

  Connection& operator*() const noexcept { return *connection_; }
  Connection* operator->() const noexcept { return connection_.get(); }

 private:
  Database* owner_;
  std::unique_ptr<Connection> connection_;
};

class Database {
 public:
  Database(Dialect dialect, ConnectionFactory factory, PoolOptions options);
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  Dialect dialect() const noexcept { return dialect_; }
  // Throws DbError(unavailable) when no connection can be had within acquire_timeout.
  Lease acquire();
  // Closes idle connections; leases still out close when they come back.
  void close();

 private:
  friend class Lease;
  void give_back(std::unique_ptr<Connection> connection) noexcept;

  Dialect dialect_;
  ConnectionFactory factory_;
  PoolOptions options_;
  std::mutex mutex_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<Connection>> idle_;
  std::size_t open_ = 0;  // idle + lent
  bool closed_ = false;
};

// Opens a pool for a DATABASE_URL ("sqlite:<path>" or "postgresql://..."). Throws
// std::invalid_argument for an unknown scheme.
std::unique_ptr<Database> open_database(const std::string& url, PoolOptions options);

}  // namespace mercato::db
