#include "db/orders/order_event_payload.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

namespace mercato::db {

std::string encode_order_event(const domain::OrderStatusChanged& e) {
  boost::json::array vendors;
  for (const auto& vendor : e.vendor_ids) vendors.emplace_back(vendor);
  return boost::json::serialize(boost::json::object{{"id", e.event_id},
                                                    {"order_id", e.order_id},
                                                    {"user_id", e.user_id},
                                                    {"vendor_ids", std::move(vendors)},
                                                    {"status", domain::to_string(e.status)},
                                                    {"previous_status", domain::to_string(e.previous_status)},
                                                    {"updated_at", e.updated_at}});
}

std::optional<domain::OrderStatusChanged> decode_order_event(std::string_view text) {
  boost::system::error_code ec;
  auto value = boost::json::parse(text, ec);
  if (ec || !value.is_object()) return std::nullopt;
  const auto& o = value.as_object();
  auto text_of = [&](std::string_view key) -> std::optional<std::string> {
    auto* field = o.if_contains(key);
    if (!field || !field->is_string()) return std::nullopt;
    return std::string(field->as_string());
  };
  auto id = text_of("id"), order = text_of("order_id"), user = text_of("user_id"), at = text_of("updated_at");
  auto status = domain::parse_order_status(text_of("status").value_or(""));
  auto previous = domain::parse_order_status(text_of("previous_status").value_or(""));
  auto* vendors = o.if_contains("vendor_ids");
  if (!id || !order || !user || !at || !status || !previous || !vendors || !vendors->is_array()) return std::nullopt;
  domain::OrderStatusChanged event{*id, *order, *user, {}, *status, *previous, *at};
  for (const auto& vendor : vendors->as_array())
    if (vendor.is_string()) event.vendor_ids.emplace_back(vendor.as_string());
  return event;
}

}  // namespace mercato::db
