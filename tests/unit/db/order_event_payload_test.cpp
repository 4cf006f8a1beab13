// The JSON text of an order status change between server processes (NOTIFY payloads).

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <cstdio>
#include <string>

#include "db/orders/order_event_payload.hpp"

namespace {

using mercato::db::decode_order_event;
using mercato::db::encode_order_event;
using mercato::domain::OrderStatus;
using mercato::domain::OrderStatusChanged;

OrderStatusChanged sample() {
  return {"4711",  // the change's sequence number
          "0190bbbb-0000-7000-8000-000000000002",
          "0190cccc-0000-7000-8000-000000000003",
          {"0190dddd-0000-7000-8000-000000000004", "0190eeee-0000-7000-8000-000000000005"},
          OrderStatus::cancelled,
          OrderStatus::paid,
          "2026-11-25T10:11:12.123456Z"};
}

void expect_same(const OrderStatusChanged& a, const OrderStatusChanged& b) {
  EXPECT_EQ(a.event_id, b.event_id);
  EXPECT_EQ(a.order_id, b.order_id);
  EXPECT_EQ(a.user_id, b.user_id);
  EXPECT_EQ(a.vendor_ids, b.vendor_ids);
  EXPECT_EQ(a.status, b.status);
  EXPECT_EQ(a.previous_status, b.previous_status);
  EXPECT_EQ(a.updated_at, b.updated_at);
}

TEST(OrderEventPayload, RoundTrips) {
  auto decoded = decode_order_event(encode_order_event(sample()));
  ASSERT_TRUE(decoded);
  expect_same(*decoded, sample());
}

TEST(OrderEventPayload, RoundTripsEveryStatusPair) {
  const OrderStatus all[] = {OrderStatus::pending, OrderStatus::paid, OrderStatus::shipped, OrderStatus::delivered,
                             OrderStatus::cancelled};
  for (auto to : all)
    for (auto from : all) {
      auto e = sample();
      e.status = to;
      e.previous_status = from;
      auto decoded = decode_order_event(encode_order_event(e));
      ASSERT_TRUE(decoded);
      EXPECT_EQ(decoded->status, to);
      EXPECT_EQ(decoded->previous_status, from);
    }
}

TEST(OrderEventPayload, RoundTripsNoVendors) {
  auto e = sample();
  e.vendor_ids.clear();
  auto decoded = decode_order_event(encode_order_event(e));
  ASSERT_TRUE(decoded);
  EXPECT_TRUE(decoded->vendor_ids.empty());
}

TEST(OrderEventPayload, EncodesTheNamedFields) {
  auto object = boost::json::parse(encode_order_event(sample())).as_object();
  EXPECT_EQ(object.at("id"), "4711") << "the sequence number as text, as it goes out in the event's id";
  EXPECT_EQ(object.at("order_id"), "0190bbbb-0000-7000-8000-000000000002");
  EXPECT_EQ(object.at("user_id"), "0190cccc-0000-7000-8000-000000000003");
  EXPECT_EQ(object.at("vendor_ids").as_array().size(), 2u);
  EXPECT_EQ(object.at("status"), "cancelled");
  EXPECT_EQ(object.at("previous_status"), "paid");
  EXPECT_EQ(object.at("updated_at"), "2026-11-25T10:11:12.123456Z");
}

// A bigint sequence number passes exactly, also beyond what a double holds (2^53 + 1).
TEST(OrderEventPayload, LargeSequenceNumberRoundTripsExactly) {
  auto e = sample();
  e.event_id = "9007199254740993";
  auto decoded = decode_order_event(encode_order_event(e));
  ASSERT_TRUE(decoded);
  EXPECT_EQ(decoded->event_id, "9007199254740993");
}

// PostgreSQL refuses a NOTIFY payload of 8000 bytes or more; an order has at most 100
// distinct products, so at most 100 vendors.
TEST(OrderEventPayload, HundredVendorsFitANotifyPayload) {
  auto e = sample();
  e.vendor_ids.clear();
  for (int i = 0; i < 100; ++i) {
    char id[40];
    std::snprintf(id, sizeof id, "0190ffff-0000-7000-8000-%012d", i);
    e.vendor_ids.emplace_back(id);
  }
  auto text = encode_order_event(e);
  EXPECT_LT(text.size(), 8000u);
  auto decoded = decode_order_event(text);
  ASSERT_TRUE(decoded);
  EXPECT_EQ(decoded->vendor_ids, e.vendor_ids);
}

TEST(OrderEventPayload, RefusesTextThatIsNotOurs) {
  EXPECT_FALSE(decode_order_event(""));
  EXPECT_FALSE(decode_order_event("not json"));
  EXPECT_FALSE(decode_order_event("[]"));
  EXPECT_FALSE(decode_order_event("\"text\""));
  EXPECT_FALSE(decode_order_event("{}"));
  auto full = encode_order_event(sample());
  EXPECT_FALSE(decode_order_event(full.substr(0, full.size() - 1))) << "truncated";
}

TEST(OrderEventPayload, RefusesAMissingOrMistypedField) {
  for (const char* key : {"id", "order_id", "user_id", "vendor_ids", "status", "previous_status", "updated_at"}) {
    auto object = boost::json::parse(encode_order_event(sample())).as_object();
    object.erase(key);
    EXPECT_FALSE(decode_order_event(boost::json::serialize(object))) << "without " << key;
    object[key] = 42;
    EXPECT_FALSE(decode_order_event(boost::json::serialize(object))) << key << " a number";
  }
}

TEST(OrderEventPayload, RefusesAnUnknownStatus) {
  auto object = boost::json::parse(encode_order_event(sample())).as_object();
  object["status"] = "refunded";
  EXPECT_FALSE(decode_order_event(boost::json::serialize(object)));
  object = boost::json::parse(encode_order_event(sample())).as_object();
  object["previous_status"] = "PAID";
  EXPECT_FALSE(decode_order_event(boost::json::serialize(object)));
}

TEST(OrderEventPayload, IgnoresUnknownFields) {
  auto object = boost::json::parse(encode_order_event(sample())).as_object();
  object["added_later"] = true;
  auto decoded = decode_order_event(boost::json::serialize(object));
  ASSERT_TRUE(decoded);
  expect_same(*decoded, sample());
}

}  // namespace
