#include "db/accounts/sql_external_identity_repository.hpp"

namespace mercato::db {

namespace {

constexpr std::string_view find_user_sql =
    "SELECT u.id, u.email_encrypted, u.role, u.email_verified, u.disabled, u.created_at, u.updated_at, "
    "u.password_hash FROM external_identities x JOIN users u ON u.id = x.user_id "
    "WHERE x.provider = $1 AND x.subject = $2";
// Not an error when taken: on PostgreSQL a unique violation would abort the transaction,
// and a racing first sign-in of the same subject is expected (the caller reads the winner).
constexpr std::string_view link_sql =
    "INSERT INTO external_identities (provider, subject, user_id, created_at) VALUES ($1, $2, $3, $4) "
    "ON CONFLICT DO NOTHING";

}  // namespace

std::optional<domain::UserRecord> SqlExternalIdentityRepository::find_user(std::string_view provider,
                                                                           std::string_view subject) {
  auto result = connection_.execute(find_user_sql, {std::string(provider), std::string(subject)});
  if (result.rows.empty()) return std::nullopt;
  const auto& row = result.rows.front();
  domain::User user{row.text(0),    cipher_.decrypt(row.text(1)), row.text(2), row.boolean(3),
                    row.boolean(4), row.text(5),                  row.text(6)};
  return domain::UserRecord{std::move(user), row.text(7)};
}

bool SqlExternalIdentityRepository::link(std::string_view provider, std::string_view subject,
                                         std::string_view user_id, std::string_view now) {
  auto result = connection_.execute(
      link_sql, {std::string(provider), std::string(subject), std::string(user_id), std::string(now)});
  return result.affected_rows == 1;
}

}  // namespace mercato::db
