#include "api/payment_json.hpp"

namespace mercato::api {

namespace {

boost::json::value optional_value(const std::optional<std::string>& text) {
  return text ? boost::json::value(*text) : boost::json::value(nullptr);
}

}  // namespace

boost::json::object payment_json(const domain::Payment& p) {
  return {{"id", p.id},
          {"order_id", p.order_id},
          {"status", to_string(p.status)},
          {"payment_gateway", p.gateway},
          {"transaction_id", optional_value(p.transaction_id)},
          {"amount", p.amount},
          {"amount_refunded", p.amount_refunded},
          {"currency", p.currency},
          {"failure_code", optional_value(p.failure_code)},
          {"failure_message", optional_value(p.failure_message)},
          {"created_at", p.created_at},
          {"updated_at", p.updated_at}};
}

boost::json::object payment_event_json(const domain::PaymentEvent& e) {
  return {{"id", e.id},
          {"payment_id", e.payment_id},
          {"type", to_string(e.type)},
          {"from_status", optional_value(e.from_status)},
          {"to_status", optional_value(e.to_status)},
          {"gateway_id", optional_value(e.gateway_id)},
          {"amount", e.amount ? boost::json::value(*e.amount) : boost::json::value(nullptr)},
          {"detail", optional_value(e.detail)},
          {"actor_id", optional_value(e.actor_id)},
          {"created_at", e.created_at}};
}

}  // namespace mercato::api
