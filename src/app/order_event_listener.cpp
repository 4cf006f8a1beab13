#include "app/order_event_listener.hpp"

#include "db/orders/order_event_payload.hpp"

namespace mercato::app {

OrderEventListener::OrderEventListener(const std::string& database_url, Application& application,
                                       observability::Logger& log) {
  const auto& channel = application.order_events_channel();
  if (channel.empty()) return;
  listener_ = std::make_unique<db::PgListener>(database_url, channel, [&application, &log](const std::string& payload) {
    if (auto event = db::decode_order_event(payload)) application.order_events().publish(*event);
    else log.warn("order_event_unreadable", {{"bytes", payload.size()}});
  }, log);
}

void OrderEventListener::start() {
  if (listener_) listener_->start();
}

void OrderEventListener::stop() {
  if (listener_) listener_->stop();
}

}  // namespace mercato::app
