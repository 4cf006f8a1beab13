#include "db/payments/sql_payment_repository.hpp"

#include "db/error.hpp"

namespace mercato::db {

namespace {

constexpr std::string_view payment_columns =
    "p.id, p.order_id, o.user_id, p.status, p.payment_gateway, p.transaction_id, p.intent_id, p.amount, "
    "p.amount_refunded, p.currency, p.failure_code, p.failure_message, p.created_at, p.updated_at "
    "FROM payments p JOIN orders o ON o.id = p.order_id";

constexpr std::string_view insert_sql =
    "INSERT INTO payments (id, order_id, status, payment_gateway, amount, currency, created_at, updated_at) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $7)";
constexpr std::string_view update_sql =
    "UPDATE payments SET status = $2, transaction_id = $3, intent_id = $4, amount_refunded = $5, "
    "failure_code = $6, failure_message = $7, updated_at = $8 WHERE id = $1";
constexpr std::string_view store_secret_sql = "UPDATE payments SET client_secret = $2 WHERE id = $1";
constexpr std::string_view client_secret_sql = "SELECT client_secret FROM payments WHERE id = $1";

domain::Payment to_payment(const Row& row) {
  domain::Payment p;
  p.id = row.text(0);
  p.order_id = row.text(1);
  p.user_id = row.text(2);
  auto status = domain::parse_payment_status(row.text(3));
  if (!status) throw DbError(Failure::other, "unknown payment status in the database: " + row.text(3));
  p.status = *status;
  p.gateway = row.text(4);
  p.transaction_id = row.optional_text(5);
  p.intent_id = row.optional_text(6);
  p.amount = row.int64(7);
  p.amount_refunded = row.int64(8);
  p.currency = row.text(9);
  p.failure_code = row.optional_text(10);
  p.failure_message = row.optional_text(11);
  p.created_at = row.text(12);
  p.updated_at = row.text(13);
  return p;
}

}  // namespace

void SqlPaymentRepository::insert(const domain::Payment& p) {
  connection_.execute(insert_sql, {p.id, p.order_id, std::string(to_string(p.status)), p.gateway, p.amount, p.currency,
                                   p.created_at});
}

std::optional<domain::Payment> SqlPaymentRepository::find_where(std::string_view condition, std::vector<Param> params,
                                                                bool lock) {
  std::string sql = "SELECT " + std::string(payment_columns) + " WHERE " + std::string(condition);
  // SQLite has one writer: its write transactions are serialized already.
  if (lock && connection_.dialect() == Dialect::postgres) sql += " FOR UPDATE OF p";
  auto result = connection_.execute(sql, std::span<const Param>(params));
  if (result.rows.empty()) return std::nullopt;
  return to_payment(result.rows.front());
}

std::optional<domain::Payment> SqlPaymentRepository::find(std::string_view id) {
  return find_where("p.id = $1", {std::string(id)}, false);
}

std::optional<domain::Payment> SqlPaymentRepository::find_for_update(std::string_view id) {
  return find_where("p.id = $1", {std::string(id)}, true);
}

std::optional<domain::Payment> SqlPaymentRepository::find_by_intent(std::string_view gateway,
                                                                    std::string_view intent_id) {
  return find_where("p.payment_gateway = $1 AND p.intent_id = $2", {std::string(gateway), std::string(intent_id)}, false);
}

std::optional<domain::Payment> SqlPaymentRepository::pending_for_order(std::string_view order_id) {
  return find_where("p.order_id = $1 AND p.status = 'pending'", {std::string(order_id)}, true);
}

std::optional<domain::Payment> SqlPaymentRepository::completed_for_order(std::string_view order_id) {
  return find_where("p.order_id = $1 AND p.status = 'completed'", {std::string(order_id)}, true);
}

void SqlPaymentRepository::update(const domain::Payment& p) {
  connection_.execute(update_sql, {p.id, std::string(to_string(p.status)), optional_param(p.transaction_id),
                                   optional_param(p.intent_id), p.amount_refunded, optional_param(p.failure_code),
                                   optional_param(p.failure_message), p.updated_at});
}

void SqlPaymentRepository::store_client_secret(std::string_view id, std::string_view encrypted) {
  connection_.execute(store_secret_sql, {std::string(id), std::string(encrypted)});
}

std::optional<std::string> SqlPaymentRepository::client_secret(std::string_view id) {
  auto result = connection_.execute(client_secret_sql, {std::string(id)});
  if (result.rows.empty()) return std::nullopt;
  return result.rows.front().optional_text(0);
}

}  // namespace mercato::db
