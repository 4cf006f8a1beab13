#pragma once
// Feeds an Application's order event hub from PostgreSQL LISTEN, so that a status change
// committed by any server process reaches the event streams connected to this one. Does
// nothing on SQLite, where the application delivers its own events.

#include <memory>
#include <string>

#include "app/application.hpp"
#include "db/postgres/pg_listener.hpp"

namespace mercato::app {

class OrderEventListener {
 public:
  // `database_url` is the application's DATABASE_URL.
  OrderEventListener(const std::string& database_url, Application& application, observability::Logger& log);
  void start();
  void stop();

 private:
  std::unique_ptr<db::PgListener> listener_;
};

}  // namespace mercato::app
