#pragma once
// The payment transaction log in SQL, with a JSON log line per row.

#include "core/clock.hpp"
#include "db/connection.hpp"
#include "domain/payments/payment_store.hpp"
#include "observability/logger.hpp"

namespace mercato::db {

class SqlPaymentEventLog final : public domain::PaymentEventLog {
 public:
  SqlPaymentEventLog(Connection& connection, observability::Logger& log) : connection_(connection), log_(log) {}

  void append(const domain::PaymentEvent& event) override;
  domain::PaymentEventPage list(std::string_view payment_id, std::size_t limit,
                                const std::optional<domain::PaymentEventCursor>& after) override;

 private:
  Connection& connection_;
  observability::Logger& log_;
};

}  // namespace mercato::db
