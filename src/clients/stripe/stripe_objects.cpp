#include "clients/stripe/stripe_objects.hpp"

#include "clients/stripe/json_fields.hpp"

namespace mercato::clients::stripe {

std::optional<domain::GatewayIntent> read_intent(const boost::json::object& intent) {
  auto id = string_at(intent, "id");
  auto status = string_at(intent, "status");
  auto amount = integer_at(intent, "amount");
  auto currency = string_at(intent, "currency");
  if (!id || !status || !amount || !currency) return std::nullopt;
  domain::GatewayIntent out;
  out.id = std::move(*id);
  out.client_secret = string_at(intent, "client_secret").value_or("");
  out.status = std::move(*status);
  out.amount = *amount;
  out.currency = std::move(*currency);
  out.latest_charge = id_at(intent, "latest_charge");
  return out;
}

std::optional<domain::GatewayRefund> read_refund(const boost::json::object& refund) {
  auto id = string_at(refund, "id");
  auto status = string_at(refund, "status");
  auto amount = integer_at(refund, "amount");
  if (!id || !status || !amount) return std::nullopt;
  domain::GatewayRefund out;
  out.id = std::move(*id);
  out.status = std::move(*status);
  out.amount = *amount;
  out.failure_reason = string_at(refund, "failure_reason");
  return out;
}

}  // namespace mercato::clients::stripe
