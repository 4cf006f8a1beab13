#include "db/mail/outbox_repository.hpp"

#include <string_view>

#include "core/time_format.hpp"
#include "db/mail/email_payload.hpp"

namespace mercato::db {

namespace {

constexpr std::string_view select_due_sql =
    "SELECT id, payload_encrypted, attempts, next_attempt_at FROM outbound_emails "
    "WHERE sent_at IS NULL AND next_attempt_at <= $1 ORDER BY next_attempt_at, id LIMIT $2";
// Succeeds for exactly one claimer: whoever moves next_attempt_at first changes the value
// the others' WHERE clause expects.
constexpr std::string_view claim_sql =
    "UPDATE outbound_emails SET next_attempt_at = $1 "
    "WHERE id = $2 AND next_attempt_at = $3 AND sent_at IS NULL";
constexpr std::string_view mark_sent_sql =
    "UPDATE outbound_emails SET sent_at = $1, attempts = attempts + 1, last_error = NULL WHERE id = $2";
constexpr std::string_view mark_failed_sql =
    "UPDATE outbound_emails SET attempts = $1, next_attempt_at = $2, last_error = $3 WHERE id = $4";
constexpr std::string_view pending_count_sql = "SELECT count(*) FROM outbound_emails WHERE sent_at IS NULL";

constexpr std::size_t max_error_length = 200;

// Given-up rows wait for this instant, which no dispatcher's clock reaches. Not later:
// std::chrono::system_clock (int64 nanoseconds) ends in 2262, and the PostgreSQL driver
// reads timestamps back through it. Text order is time order in this fixed-width format.
constexpr std::string_view never = "2200-01-01T00:00:00.000000Z";

// Cut on a UTF-8 character boundary: PostgreSQL refuses invalid UTF-8 text.
std::string short_error(const std::string& error) {
  if (error.size() <= max_error_length) return error;
  auto length = max_error_length;
  while (length > 0 && (static_cast<unsigned char>(error[length]) & 0xC0) == 0x80) --length;
  return error.substr(0, length);
}

void record_failure(Connection& connection, const std::string& id, int attempts, std::string retry_at,
                    const std::string& error) {
  connection.execute(mark_failed_sql, {std::int64_t{attempts}, std::move(retry_at), short_error(error), id});
}

}  // namespace

std::vector<PendingEmail> OutboxRepository::claim_due(std::size_t limit, std::chrono::seconds lease,
                                                      const UnreadableEmailHandler& on_unreadable) {
  auto now = clock_.now();
  auto lease_end = format_rfc3339(now + lease);
  auto lent = database_.acquire();
  // Each UPDATE commits on its own: a claim holds no lock while the email is being sent.
  auto due = lent->execute(select_due_sql, {format_rfc3339(now), static_cast<std::int64_t>(limit)});
  std::vector<PendingEmail> claimed;
  for (const auto& row : due.rows) {
    const auto& id = row.text(0);
    if (lent->execute(claim_sql, {lease_end, id, row.text(3)}).affected_rows != 1) continue;  // another won
    auto attempts = static_cast<int>(row.int64(2));
    try {
      claimed.push_back({id, open_email_payload(row.text(1), cipher_), attempts});
    } catch (const std::exception& e) {
      // Never sendable as it is, but not to be lost either: keep it and look again later.
      record_failure(*lent, id, attempts, format_rfc3339(now + unreadable_retry),
                     std::string("payload unreadable: ") + e.what());
      if (on_unreadable) on_unreadable(id, e.what());
    }
  }
  return claimed;
}

void OutboxRepository::mark_sent(const std::string& id) {
  database_.acquire()->execute(mark_sent_sql, {format_rfc3339(clock_.now()), id});
}

void OutboxRepository::mark_failed(const std::string& id, int attempts, std::chrono::system_clock::time_point retry_at,
                                   const std::string& error) {
  record_failure(*database_.acquire(), id, attempts, format_rfc3339(retry_at), error);
}

void OutboxRepository::mark_given_up(const std::string& id, int attempts, const std::string& error) {
  record_failure(*database_.acquire(), id, attempts, std::string(never), error);
}

std::size_t OutboxRepository::pending_count() {
  auto result = database_.acquire()->execute(pending_count_sql);
  return static_cast<std::size_t>(result.rows.at(0).int64(0));
}

}  // namespace mercato::db
