#pragma once
// Refunds in SQL.

#include "db/connection.hpp"
#include "domain/payments/payment_store.hpp"

namespace mercato::db {

class SqlRefundRepository final : public domain::RefundRepository {
 public:
  explicit SqlRefundRepository(Connection& connection) : connection_(connection) {}

  void insert(const domain::Refund& refund) override;
  std::optional<domain::Refund> find_for_update(std::string_view id) override;
  std::optional<domain::Refund> find_by_gateway_id_for_update(std::string_view gateway_refund_id) override;
  void update(const domain::Refund& refund) override;
  std::int64_t reserved_amount(std::string_view payment_id) override;
  std::vector<domain::Refund> unsettled(std::string_view payment_id, std::size_t limit) override;

 private:
  std::optional<domain::Refund> find_where(std::string_view condition, std::string_view value);

  Connection& connection_;
};

}  // namespace mercato::db
