#include "db/payments/sql_webhook_event_repository.hpp"

namespace mercato::db {

namespace {

// Both dialects: a redelivered event inserts nothing, and the transaction goes on.
constexpr std::string_view insert_sql =
    "INSERT INTO webhook_events (gateway, event_id, type, payload, received_at) VALUES ($1, $2, $3, $4, $5) "
    "ON CONFLICT (gateway, event_id) DO NOTHING";

}  // namespace

bool SqlWebhookEventRepository::record_once(std::string_view gateway, std::string_view event_id,
                                            std::string_view type, std::string_view encrypted_payload,
                                            std::string_view received_at) {
  auto result = connection_.execute(insert_sql, {std::string(gateway), std::string(event_id), std::string(type),
                                                 std::string(encrypted_payload), std::string(received_at)});
  return result.affected_rows == 1;
}

}  // namespace mercato::db
