#include "db/accounts/sql_stream_ticket_repository.hpp"

namespace mercato::db {

namespace {

constexpr std::string_view insert_sql =
    "INSERT INTO stream_tickets (token_hash, user_id, session_id, expires_at) VALUES ($1, $2, $3, $4)";
constexpr std::string_view consume_sql =
    "UPDATE stream_tickets SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 "
    "RETURNING user_id, session_id";
// Spent and expired tickets are of no use to anyone; each new one clears the old.
constexpr std::string_view purge_sql = "DELETE FROM stream_tickets WHERE expires_at < $1";

}  // namespace

void SqlStreamTicketRepository::insert(std::string_view token_hash, std::string_view user_id,
                                       std::string_view session_id, std::string_view now, std::string_view expires_at) {
  connection_.execute(purge_sql, {std::string(now)});
  connection_.execute(insert_sql,
                      {std::string(token_hash), std::string(user_id), std::string(session_id), std::string(expires_at)});
}

std::optional<domain::StreamTicketRecord> SqlStreamTicketRepository::consume(std::string_view token_hash,
                                                                             std::string_view now) {
  auto result = connection_.execute(consume_sql, {std::string(token_hash), std::string(now)});
  if (result.rows.empty()) return std::nullopt;
  return domain::StreamTicketRecord{result.rows.front().text(0), result.rows.front().text(1)};
}

}  // namespace mercato::db
