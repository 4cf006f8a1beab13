#include "db/accounts/sql_one_time_token_repository.hpp"

namespace mercato::db {

namespace {

constexpr std::string_view void_sql =
    "UPDATE one_time_tokens SET voided_at = $3 "
    "WHERE user_id = $1 AND purpose = $2 AND used_at IS NULL AND voided_at IS NULL";
constexpr std::string_view insert_sql =
    "INSERT INTO one_time_tokens (id, user_id, purpose, token_hash, created_at, expires_at) "
    "VALUES ($1, $2, $3, $4, $5, $6)";
constexpr std::string_view find_sql =
    "SELECT id, user_id, expires_at, (used_at IS NULL AND voided_at IS NULL) FROM one_time_tokens "
    "WHERE token_hash = $1 AND purpose = $2";
constexpr std::string_view consume_sql =
    "UPDATE one_time_tokens SET used_at = $2 WHERE id = $1 AND used_at IS NULL AND voided_at IS NULL";

std::string purpose_text(domain::TokenPurpose purpose) {
  return purpose == domain::TokenPurpose::verify_email ? "verify_email" : "reset_password";
}

}  // namespace

void SqlOneTimeTokenRepository::replace(std::string_view id, std::string_view user_id, domain::TokenPurpose purpose,
                                        std::string_view token_hash, std::string_view now,
                                        std::string_view expires_at) {
  connection_.execute(void_sql, {std::string(user_id), purpose_text(purpose), std::string(now)});
  connection_.execute(insert_sql, {std::string(id), std::string(user_id), purpose_text(purpose),
                                   std::string(token_hash), std::string(now), std::string(expires_at)});
}

std::optional<domain::OneTimeTokenRecord> SqlOneTimeTokenRepository::find(std::string_view token_hash,
                                                                          domain::TokenPurpose purpose) {
  auto result = connection_.execute(find_sql, {std::string(token_hash), purpose_text(purpose)});
  if (result.rows.empty()) return std::nullopt;
  const auto& row = result.rows.front();
  return domain::OneTimeTokenRecord{row.text(0), row.text(1), row.text(2), row.boolean(3)};
}

bool SqlOneTimeTokenRepository::consume(std::string_view id, std::string_view now) {
  return connection_.execute(consume_sql, {std::string(id), std::string(now)}).affected_rows == 1;
}

}  // namespace mercato::db
