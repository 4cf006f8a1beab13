#include "db/orders/order_event_channel.hpp"

#include "security/digest.hpp"

namespace mercato::db {

std::string order_events_channel(Database& database) {
  if (database.dialect() != Dialect::postgres) return {};
  auto lease = database.acquire();
  auto where = lease->execute("SELECT current_database() || '.' || current_schema()").rows.at(0).text(0);
  return "mercato_order_events_" + security::sha256_hex(where).substr(0, 16);
}

}  // namespace mercato::db
