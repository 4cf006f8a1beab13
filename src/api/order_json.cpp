#include "api/order_json.hpp"

namespace mercato::api {

namespace {

boost::json::object item_json(const domain::OrderItem& i) {
  return {{"id", i.id},
          {"order_id", i.order_id},
          {"product_id", i.product_id},
          {"quantity", i.quantity},
          {"price_at_purchase", i.price_at_purchase},
          {"created_at", i.created_at},
          {"updated_at", i.updated_at}};
}

}  // namespace

boost::json::object order_json(const domain::Order& o) {
  boost::json::array items;
  for (const auto& item : o.items) items.push_back(item_json(item));
  boost::json::object json{{"id", o.id},
                           {"user_id", o.user_id},
                           {"status", to_string(o.status)},
                           {"payment_status", nullptr},
                           {"total_price", o.total_price},
                           {"currency", o.currency},
                           {"items", std::move(items)},
                           {"delivered_at", nullptr},
                           {"created_at", o.created_at},
                           {"updated_at", o.updated_at}};
  if (o.payment_status) json["payment_status"] = *o.payment_status;
  if (o.delivered_at) json["delivered_at"] = *o.delivered_at;
  return json;
}

}  // namespace mercato::api
