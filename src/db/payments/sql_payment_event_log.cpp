#include "db/payments/sql_payment_event_log.hpp"

#include "db/error.hpp"

namespace mercato::db {

namespace {

constexpr std::string_view insert_sql =
    "INSERT INTO payment_events (id, payment_id, type, from_status, to_status, gateway_id, amount, detail, actor_id, "
    "created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";
constexpr std::string_view columns =
    "SELECT id, payment_id, type, from_status, to_status, gateway_id, amount, detail, actor_id, created_at "
    "FROM payment_events WHERE payment_id = $1";
constexpr std::string_view first_page_sql = " ORDER BY created_at, id LIMIT $2";
constexpr std::string_view next_page_sql =
    " AND (created_at > $3 OR (created_at = $3 AND id > $4)) ORDER BY created_at, id LIMIT $2";

domain::PaymentEvent to_event(const Row& row) {
  domain::PaymentEvent e;
  e.id = row.text(0);
  e.payment_id = row.text(1);
  auto type = domain::parse_payment_event_type(row.text(2));
  if (!type) throw DbError(Failure::other, "unknown payment event type in the database: " + row.text(2));
  e.type = *type;
  e.from_status = row.optional_text(3);
  e.to_status = row.optional_text(4);
  e.gateway_id = row.optional_text(5);
  e.amount = row.optional_int64(6);
  e.detail = row.optional_text(7);
  e.actor_id = row.optional_text(8);
  e.created_at = row.text(9);
  return e;
}

void add_if(boost::json::object& fields, std::string_view name, const std::optional<std::string>& value) {
  if (value) fields[name] = *value;
}

}  // namespace

void SqlPaymentEventLog::append(const domain::PaymentEvent& e) {
  connection_.execute(insert_sql, {e.id, e.payment_id, std::string(to_string(e.type)), optional_param(e.from_status),
                                   optional_param(e.to_status), optional_param(e.gateway_id),
                                   e.amount ? Param{*e.amount} : Param{Null{}}, optional_param(e.detail),
                                   optional_param(e.actor_id), e.created_at});
  boost::json::object fields{{"payment_id", e.payment_id}, {"type", to_string(e.type)}};
  add_if(fields, "from", e.from_status);
  add_if(fields, "to", e.to_status);
  add_if(fields, "gateway_id", e.gateway_id);
  if (e.amount) fields["amount"] = *e.amount;
  add_if(fields, "detail", e.detail);
  add_if(fields, "actor_id", e.actor_id);
  log_.log(observability::LogLevel::info, "payment_event", std::move(fields));
}

domain::PaymentEventPage SqlPaymentEventLog::list(std::string_view payment_id, std::size_t limit,
                                                  const std::optional<domain::PaymentEventCursor>& after) {
  auto n = static_cast<std::int64_t>(limit + 1);
  auto result = after ? connection_.execute(std::string(columns) + std::string(next_page_sql),
                                            {std::string(payment_id), n, after->created_at, after->id})
                      : connection_.execute(std::string(columns) + std::string(first_page_sql),
                                            {std::string(payment_id), n});
  domain::PaymentEventPage page;
  for (const auto& row : result.rows) page.events.push_back(to_event(row));
  if (page.events.size() > limit) {
    page.events.resize(limit);
    page.has_more = true;
  }
  return page;
}

}  // namespace mercato::db
