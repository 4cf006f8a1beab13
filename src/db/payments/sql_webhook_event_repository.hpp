#pragma once
// Webhook events already processed, in SQL.

#include "db/connection.hpp"
#include "domain/payments/payment_store.hpp"

namespace mercato::db {

class SqlWebhookEventRepository final : public domain::WebhookEventRepository {
 public:
  explicit SqlWebhookEventRepository(Connection& connection) : connection_(connection) {}

  bool record_once(std::string_view gateway, std::string_view event_id, std::string_view type,
                   std::string_view encrypted_payload, std::string_view received_at) override;

 private:
  Connection& connection_;
};

}  // namespace mercato::db
