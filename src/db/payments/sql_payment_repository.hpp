#pragma once
// Payments in SQL, each read with its order's customer.

#include "db/connection.hpp"
#include "domain/payments/payment_store.hpp"

namespace mercato::db {

class SqlPaymentRepository final : public domain::PaymentRepository {
 public:
  explicit SqlPaymentRepository(Connection& connection) : connection_(connection) {}

  void insert(const domain::Payment& payment) override;
  std::optional<domain::Payment> find(std::string_view id) override;
  std::optional<domain::Payment> find_for_update(std::string_view id) override;
  std::optional<domain::Payment> find_by_intent(std::string_view gateway, std::string_view intent_id) override;
  std::optional<domain::Payment> pending_for_order(std::string_view order_id) override;
  std::optional<domain::Payment> completed_for_order(std::string_view order_id) override;
  void update(const domain::Payment& payment) override;
  void store_client_secret(std::string_view id, std::string_view encrypted) override;
  std::optional<std::string> client_secret(std::string_view id) override;

 private:
  std::optional<domain::Payment> find_where(std::string_view condition, std::vector<Param> params, bool lock);

  Connection& connection_;
};

}  // namespace mercato::db
