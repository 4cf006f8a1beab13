#include "db/payments/sql_refund_repository.hpp"

#include "db/error.hpp"

namespace mercato::db {

namespace {

constexpr std::string_view refund_columns =
    "id, payment_id, amount, currency, status, reason, gateway_refund_id, idempotency_key, requested_by, created_at, "
    "updated_at FROM refunds";
constexpr std::string_view insert_sql =
    "INSERT INTO refunds (id, payment_id, amount, currency, status, reason, gateway_refund_id, idempotency_key, "
    "requested_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)";
constexpr std::string_view update_sql =
    "UPDATE refunds SET status = $2, gateway_refund_id = $3, updated_at = $4 WHERE id = $1";
constexpr std::string_view reserved_sql =
    "SELECT COALESCE(SUM(amount), 0) FROM refunds WHERE payment_id = $1 AND status NOT IN ('failed', 'canceled')";
constexpr std::string_view unsettled_of_payment_sql =
    "SELECT id, payment_id, amount, currency, status, reason, gateway_refund_id, idempotency_key, requested_by, "
    "created_at, updated_at FROM refunds WHERE status IN ('pending', 'requires_action') AND payment_id = $1 "
    "ORDER BY created_at, id LIMIT $2";
constexpr std::string_view unsettled_sql =
    "SELECT id, payment_id, amount, currency, status, reason, gateway_refund_id, idempotency_key, requested_by, "
    "created_at, updated_at FROM refunds WHERE status IN ('pending', 'requires_action') "
    "ORDER BY created_at, id LIMIT $1";

domain::Refund to_refund(const Row& row) {
  domain::Refund r;
  r.id = row.text(0);
  r.payment_id = row.text(1);
  r.amount = row.int64(2);
  r.currency = row.text(3);
  auto status = domain::parse_refund_status(row.text(4));
  if (!status) throw DbError(Failure::other, "unknown refund status in the database: " + row.text(4));
  r.status = *status;
  r.reason = row.optional_text(5);
  r.gateway_refund_id = row.optional_text(6);
  r.idempotency_key = row.text(7);
  r.requested_by = row.optional_text(8);
  r.created_at = row.text(9);
  r.updated_at = row.text(10);
  return r;
}

}  // namespace

void SqlRefundRepository::insert(const domain::Refund& r) {
  connection_.execute(insert_sql, {r.id, r.payment_id, r.amount, r.currency, std::string(to_string(r.status)),
                                   optional_param(r.reason), optional_param(r.gateway_refund_id), r.idempotency_key,
                                   optional_param(r.requested_by), r.created_at});
}

std::optional<domain::Refund> SqlRefundRepository::find_where(std::string_view condition, std::string_view value) {
  std::string sql = "SELECT " + std::string(refund_columns) + " WHERE " + std::string(condition);
  if (connection_.dialect() == Dialect::postgres) sql += " FOR UPDATE";
  auto result = connection_.execute(sql, {std::string(value)});
  if (result.rows.empty()) return std::nullopt;
  return to_refund(result.rows.front());
}

std::optional<domain::Refund> SqlRefundRepository::find_for_update(std::string_view id) {
  return find_where("id = $1", id);
}

std::optional<domain::Refund> SqlRefundRepository::find_by_gateway_id_for_update(std::string_view gateway_refund_id) {
  return find_where("gateway_refund_id = $1", gateway_refund_id);
}

void SqlRefundRepository::update(const domain::Refund& r) {
  connection_.execute(update_sql, {r.id, std::string(to_string(r.status)), optional_param(r.gateway_refund_id),
                                   r.updated_at});
}

std::int64_t SqlRefundRepository::reserved_amount(std::string_view payment_id) {
  return connection_.execute(reserved_sql, {std::string(payment_id)}).rows.front().int64(0);
}

std::vector<domain::Refund> SqlRefundRepository::unsettled(std::string_view payment_id, std::size_t limit) {
  auto n = static_cast<std::int64_t>(limit);
  auto result = payment_id.empty() ? connection_.execute(unsettled_sql, {n})
                                   : connection_.execute(unsettled_of_payment_sql, {std::string(payment_id), n});
  std::vector<domain::Refund> refunds;
  for (const auto& row : result.rows) refunds.push_back(to_refund(row));
  return refunds;
}

}  // namespace mercato::db
