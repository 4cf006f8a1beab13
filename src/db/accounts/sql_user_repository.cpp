#include "db/accounts/sql_user_repository.hpp"

#include "db/error.hpp"
#include "security/uuid.hpp"

namespace mercato::db {

namespace {

constexpr std::string_view columns =
    "id, email_encrypted, role, email_verified, disabled, created_at, updated_at, password_hash";

constexpr std::string_view insert_sql =
    "INSERT INTO users (id, email_encrypted, email_index, password_hash, role, email_verified, disabled, "
    "created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) "
    // Not an error: on PostgreSQL a unique violation would abort the whole transaction.
    "ON CONFLICT (email_index) DO NOTHING";
constexpr std::string_view mark_verified_sql = "UPDATE users SET email_verified = $2, updated_at = $3 WHERE id = $1";
constexpr std::string_view set_email_sql =
    "UPDATE users SET email_encrypted = $2, email_index = $3, updated_at = $4 WHERE id = $1 "
    "AND NOT EXISTS (SELECT 1 FROM users WHERE email_index = $3 AND id <> $1)";
constexpr std::string_view set_hash_sql = "UPDATE users SET password_hash = $2, updated_at = $3 WHERE id = $1";
constexpr std::string_view set_role_sql =
    "UPDATE users SET role = $2, disabled = $3, updated_at = $4 WHERE id = $1";
constexpr std::string_view count_admins_sqlite =
    "SELECT COUNT(*) FROM users WHERE role = 'admin' AND disabled = 0";
constexpr std::string_view count_admins_postgres =
    "SELECT COUNT(*) FROM (SELECT id FROM users WHERE role = 'admin' AND NOT disabled FOR UPDATE) AS admins";

}  // namespace

domain::UserRecord SqlUserRepository::to_record(const Row& row) const {
  domain::User user{row.text(0),       cipher_.decrypt(row.text(1)), row.text(2), row.boolean(3),
                    row.boolean(4),    row.text(5),                  row.text(6)};
  return {std::move(user), row.text(7)};
}

bool SqlUserRepository::insert(const domain::User& user, const std::string& password_hash) {
  // A blind index under an older key still names the same address during a rotation.
  for (const auto& index : cipher_.blind_indexes(user.email))
    if (!connection_.execute("SELECT 1 FROM users WHERE email_index = $1", {index}).rows.empty()) return false;
  auto result = connection_.execute(insert_sql, {user.id, cipher_.encrypt(user.email), cipher_.blind_index(user.email),
                                                 password_hash, user.role, user.email_verified, user.disabled,
                                                 user.created_at});
  return result.affected_rows == 1;
}

std::optional<domain::UserRecord> SqlUserRepository::find_by_email(std::string_view email) {
  for (const auto& index : cipher_.blind_indexes(email)) {
    auto result = connection_.execute("SELECT " + std::string(columns) + " FROM users WHERE email_index = $1",
                                      {index});
    if (!result.rows.empty()) return to_record(result.rows.front());
  }
  return std::nullopt;
}

std::optional<domain::UserRecord> SqlUserRepository::find_by_id(std::string_view id) {
  if (!security::is_uuid(id)) return std::nullopt;  // PostgreSQL would refuse the cast
  auto result = connection_.execute("SELECT " + std::string(columns) + " FROM users WHERE id = $1", {std::string(id)});
  if (result.rows.empty()) return std::nullopt;
  return to_record(result.rows.front());
}

void SqlUserRepository::mark_email_verified(std::string_view id, std::string_view now) {
  connection_.execute(mark_verified_sql, {std::string(id), true, std::string(now)});
}

bool SqlUserRepository::set_email(std::string_view id, std::string_view email, std::string_view now) {
  // A blind index under an older key still names the same address during a rotation.
  for (const auto& index : cipher_.blind_indexes(email)) {
    auto owner = connection_.execute("SELECT id FROM users WHERE email_index = $1", {index});
    if (!owner.rows.empty() && owner.rows.front().text(0) != id) return false;
  }
  auto result = connection_.execute(
      set_email_sql, {std::string(id), cipher_.encrypt(email), cipher_.blind_index(email), std::string(now)});
  return result.affected_rows == 1;
}

void SqlUserRepository::set_password_hash(std::string_view id, std::string_view hash, std::string_view now) {
  connection_.execute(set_hash_sql, {std::string(id), std::string(hash), std::string(now)});
}

void SqlUserRepository::set_role_and_disabled(std::string_view id, std::string_view role, bool disabled,
                                              std::string_view now) {
  connection_.execute(set_role_sql, {std::string(id), std::string(role), disabled, std::string(now)});
}

// Newest first; keyset on (created_at, id) so pages stay stable while users sign up.
domain::UserPage SqlUserRepository::list(std::optional<std::string_view> role, std::size_t limit,
                                         const std::optional<domain::UserCursor>& after) {
  std::string sql = "SELECT " + std::string(columns) + " FROM users WHERE ($1 = '' OR role = $1)";
  std::vector<Param> params{std::string(role.value_or(""))};
  if (after) {
    sql += " AND (created_at < $2 OR (created_at = $2 AND id < $3))";
    params.emplace_back(after->created_at);
    params.emplace_back(after->id);
  }
  params.emplace_back(static_cast<std::int64_t>(limit + 1));
  sql += " ORDER BY created_at DESC, id DESC LIMIT $" + std::to_string(params.size());
  auto result = connection_.execute(sql, params);
  domain::UserPage page;
  for (const auto& row : result.rows) page.users.push_back(to_record(row).user);
  page.has_more = page.users.size() > limit;
  if (page.has_more) page.users.pop_back();
  return page;
}

std::int64_t SqlUserRepository::count_enabled_admins() {
  auto sql = connection_.dialect() == Dialect::postgres ? count_admins_postgres : count_admins_sqlite;
  return connection_.execute(sql).rows.at(0).int64(0);
}

}  // namespace mercato::db
