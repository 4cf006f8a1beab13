#include "db/idempotency/sql_idempotency_keys.hpp"

#include "db/transaction.hpp"

namespace mercato::db {

namespace {

using Outcome = domain::IdempotencyKeys::Outcome;

constexpr std::string_view key_match = "user_id = $1 AND scope = $2 AND idempotency_key = $3";

constexpr std::string_view insert_sql =
    "INSERT INTO idempotency_keys (user_id, scope, idempotency_key, fingerprint, claim_token, created_at, locked_at, "
    "expires_at) VALUES ($1, $2, $3, $4, $5, $6, $6, $7) ON CONFLICT DO NOTHING";

std::vector<Param> key_params(const domain::IdempotencyKey& key) { return {key.user_id, key.scope, key.key}; }

// The key as it stands, locked until the claim's transaction ends.
std::optional<Row> current(Connection& connection, const domain::IdempotencyKey& key) {
  std::string sql = "SELECT fingerprint, resource_id, locked_at, expires_at FROM idempotency_keys WHERE " +
                    std::string(key_match);
  if (connection.dialect() == Dialect::postgres) sql += " FOR UPDATE";
  auto result = connection.execute(sql, key_params(key));
  if (result.rows.empty()) return std::nullopt;
  return result.rows.front();
}

void take(Connection& connection, const domain::IdempotencyKey& key, std::string_view token, std::string_view now,
          std::string_view expires_at, bool fresh) {
  auto params = key_params(key);
  params.insert(params.end(), {std::string(token), std::string(now)});
  if (fresh) {
    params.insert(params.end(), {key.fingerprint, std::string(expires_at)});
    connection.execute("UPDATE idempotency_keys SET claim_token = $4, locked_at = $5, created_at = $5, "
                       "fingerprint = $6, expires_at = $7, resource_id = NULL WHERE " + std::string(key_match),
                       params);
  } else {
    connection.execute("UPDATE idempotency_keys SET claim_token = $4, locked_at = $5 WHERE " + std::string(key_match),
                       params);
  }
}

}  // namespace

// The rules, in order: a new key is claimed; an expired one is claimed afresh; another
// request under the key is `reused`; a finished one answers its resource; a claim older
// than the timeout was abandoned and is taken over; otherwise the first still runs.
domain::IdempotencyKeys::Result SqlIdempotencyKeys::claim(const domain::IdempotencyKey& key, std::string_view token,
                                                          std::string_view now, std::string_view stale_before,
                                                          std::string_view expires_at) {
  return run_transaction(database_, [&](Connection& connection) -> Result {
    auto row = current(connection, key);
    if (!row) {
      auto params = key_params(key);
      params.insert(params.end(), {key.fingerprint, std::string(token), std::string(now), std::string(expires_at)});
      // Nothing inserted: a concurrent first request got there and is running.
      if (connection.execute(insert_sql, params).affected_rows == 1) return {Outcome::claimed, std::nullopt};
      return {Outcome::in_progress, std::nullopt};
    }
    if (row->text(3) <= now) {
      take(connection, key, token, now, expires_at, true);
      return {Outcome::claimed, std::nullopt};
    }
    if (row->text(0) != key.fingerprint) return {Outcome::reused, std::nullopt};
    if (auto resource = row->optional_text(1)) return {Outcome::completed, resource};
    if (row->text(2) <= stale_before) {
      take(connection, key, token, now, expires_at, false);
      return {Outcome::claimed, std::nullopt};
    }
    return {Outcome::in_progress, std::nullopt};
  });
}

void SqlIdempotencyKeys::release(const domain::IdempotencyKey& key, std::string_view token) noexcept {
  try {
    auto params = key_params(key);
    params.emplace_back(std::string(token));
    auto lease = database_.acquire();
    lease->execute("DELETE FROM idempotency_keys WHERE " + std::string(key_match) +
                       " AND claim_token = $4 AND resource_id IS NULL",
                   params);
  } catch (...) {
    // The claim then times out instead (domain::idempotency_claim_timeout).
  }
}

bool SqlIdempotencyCompletion::complete(const domain::IdempotencyKey& key, std::string_view token,
                                        std::string_view resource_id, std::string_view now) {
  auto params = key_params(key);
  params.insert(params.end(), {std::string(token), std::string(resource_id), std::string(now)});
  auto result = connection_.execute("UPDATE idempotency_keys SET resource_id = $5, locked_at = $6 WHERE " +
                                        std::string(key_match) + " AND claim_token = $4 AND resource_id IS NULL",
                                    params);
  return result.affected_rows == 1;
}

}  // namespace mercato::db
