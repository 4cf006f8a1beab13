#include "db/accounts/sql_session_repository.hpp"

#include "security/uuid.hpp"

namespace mercato::db {

namespace {

constexpr std::string_view create_family_sql =
    "INSERT INTO refresh_token_families (id, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)";
constexpr std::string_view add_token_sql =
    "INSERT INTO refresh_tokens (id, family_id, token_hash, created_at) VALUES ($1, $2, $3, $4)";
constexpr std::string_view find_token_sql =
    "SELECT t.id, t.family_id, f.user_id, t.spent_at IS NOT NULL, f.revoked_at IS NOT NULL, f.expires_at "
    "FROM refresh_tokens t JOIN refresh_token_families f ON f.id = t.family_id WHERE t.token_hash = $1";
constexpr std::string_view spend_sql = "UPDATE refresh_tokens SET spent_at = $2 WHERE id = $1 AND spent_at IS NULL";
constexpr std::string_view revoke_family_sql =
    "UPDATE refresh_token_families SET revoked_at = $2, revoked_reason = $3 WHERE id = $1 AND revoked_at IS NULL";
constexpr std::string_view revoke_user_sql =
    "UPDATE refresh_token_families SET revoked_at = $2, revoked_reason = $3 "
    "WHERE user_id = $1 AND revoked_at IS NULL AND id <> $4";
constexpr std::string_view session_state_sql =
    "SELECT u.role, u.disabled, (f.revoked_at IS NOT NULL OR f.expires_at <= $3), u.email_verified "
    "FROM users u JOIN refresh_token_families f ON f.user_id = u.id WHERE u.id = $1 AND f.id = $2";

// A UUID no row has, so "all families except none" needs no second statement.
constexpr std::string_view no_family = "00000000-0000-0000-0000-000000000000";

std::string reason_text(domain::RevokeReason reason) {
  switch (reason) {
    case domain::RevokeReason::logout: return "logout";
    case domain::RevokeReason::reuse_detected: return "reuse_detected";
    case domain::RevokeReason::password_changed: return "password_changed";
    case domain::RevokeReason::password_reset: return "password_reset";
    case domain::RevokeReason::user_disabled: return "user_disabled";
  }
  return "logout";
}

}  // namespace

void SqlSessionRepository::create_family(std::string_view family_id, std::string_view user_id, std::string_view now,
                                         std::string_view expires_at) {
  connection_.execute(create_family_sql,
                      {std::string(family_id), std::string(user_id), std::string(now), std::string(expires_at)});
}

void SqlSessionRepository::add_token(std::string_view token_id, std::string_view family_id,
                                     std::string_view token_hash, std::string_view now) {
  connection_.execute(add_token_sql,
                      {std::string(token_id), std::string(family_id), std::string(token_hash), std::string(now)});
}

std::optional<domain::RefreshTokenRecord> SqlSessionRepository::find_token(std::string_view token_hash) {
  auto result = connection_.execute(find_token_sql, {std::string(token_hash)});
  if (result.rows.empty()) return std::nullopt;
  const auto& row = result.rows.front();
  return domain::RefreshTokenRecord{row.text(0), row.text(1), row.text(2), row.boolean(3), row.boolean(4), row.text(5)};
}

bool SqlSessionRepository::spend_token(std::string_view token_id, std::string_view now) {
  return connection_.execute(spend_sql, {std::string(token_id), std::string(now)}).affected_rows == 1;
}

void SqlSessionRepository::revoke_family(std::string_view family_id, domain::RevokeReason reason,
                                         std::string_view now) {
  if (!security::is_uuid(family_id)) return;
  connection_.execute(revoke_family_sql, {std::string(family_id), std::string(now), reason_text(reason)});
}

void SqlSessionRepository::revoke_user_families(std::string_view user_id, domain::RevokeReason reason,
                                                std::string_view now, std::optional<std::string_view> keep) {
  auto kept = keep && security::is_uuid(*keep) ? std::string(*keep) : std::string(no_family);
  connection_.execute(revoke_user_sql, {std::string(user_id), std::string(now), reason_text(reason), kept});
}

std::optional<domain::SessionState> SqlSessionRepository::session_state(std::string_view user_id,
                                                                        std::string_view family_id,
                                                                        std::string_view now) {
  if (!security::is_uuid(user_id) || !security::is_uuid(family_id)) return std::nullopt;
  auto result = connection_.execute(session_state_sql, {std::string(user_id), std::string(family_id), std::string(now)});
  if (result.rows.empty()) return std::nullopt;
  const auto& row = result.rows.front();
  return domain::SessionState{row.text(0), row.boolean(1), row.boolean(2), row.boolean(3)};
}

}  // namespace mercato::db
