#pragma once
// The PostgreSQL NOTIFY channel of order events. Channels are per database, not per
// schema, so the name carries a digest of both: two deployments (or test schemas) on one
// server never hear each other.

#include <string>

#include "db/database.hpp"

namespace mercato::db {

// Empty for SQLite, which has no channels (one process delivers its own events).
std::string order_events_channel(Database& database);

}  // namespace mercato::db
