#include "api/payment_routes.hpp"

#include "api/account_json.hpp"
#include "api/idempotency_key_header.hpp"
#include "api/pagination.hpp"
#include "api/path_id.hpp"
#include "api/payment_json.hpp"
#include "http/json.hpp"
#include "security/uuid.hpp"

namespace mercato::api {

namespace {

using http::Request;
using http::Response;

// The order only: the amount is the order's, never the client's to say.
std::string order_id_of(const Request& r) {
  auto body = http::parse_json_body(r);
  http::BodyFields f(body, {"order_id"});
  auto text = f.string("order_id", true, 1, 64);
  auto id = text ? security::canonical_uuid(*text) : std::nullopt;
  if (text && !id) f.add_error("order_id", "Must be a UUID.");
  f.finish();
  return *id;
}

struct RefundAsk {
  std::string payment_id;
  std::optional<std::int64_t> amount;
  std::optional<std::string> reason;
};

RefundAsk refund_ask(const Request& r) {
  auto body = http::parse_json_body(r);
  http::BodyFields f(body, {"payment_id", "amount", "reason"});
  RefundAsk ask;
  auto text = f.string("payment_id", true, 1, 64);
  auto id = text ? security::canonical_uuid(*text) : std::nullopt;
  if (text && !id) f.add_error("payment_id", "Must be a UUID.");
  ask.amount = f.integer("amount", false, 1, std::int64_t{1'000'000'000'000'000});
  ask.reason = f.string("reason", false, 0, domain::max_refund_reason_chars * 4);
  f.finish();
  ask.payment_id = *id;
  return ask;
}

Response initiate_payment(domain::PaymentService& payments, Request& r) {
  auto key = idempotency_key_of(r);
  auto initiated = payments.initiate(context_of(r), order_id_of(r), key);
  auto body = payment_json(initiated.payment);
  body["client_secret"] = initiated.client_secret;
  auto response = http::json_response(201, std::move(body));
  response.headers.set("Location", "/api/payments/" + initiated.payment.id);
  // The client secret lets whoever holds it pay: no cache may keep it.
  response.headers.set("Cache-Control", "no-store");
  if (initiated.replayed) response.headers.set("Idempotent-Replayed", "true");
  return response;
}

Response get_payment(domain::PaymentService& payments, Request& r) {
  return http::json_response(200, payment_json(payments.get(*r.principal, path_id(r, "payment"))));
}

Response payment_events(domain::PaymentService& payments, Request& r) {
  auto limit = page_limit(r);
  std::optional<domain::PaymentEventCursor> after;
  if (auto cursor = decode_time_cursor(r)) after = domain::PaymentEventCursor{cursor->created_at, cursor->id};
  auto page = payments.events(path_id(r, "payment"), limit, after);
  boost::json::array data;
  for (const auto& event : page.events) data.push_back(payment_event_json(event));
  std::optional<std::string> next;
  if (page.has_more) next = encode_cursor({page.events.back().created_at, page.events.back().id});
  return http::json_response(200, list_body(std::move(data), next));
}

Response refund_payment(domain::PaymentService& payments, Request& r) {
  auto ask = refund_ask(r);
  return http::json_response(200, payment_json(payments.refund(context_of(r), ask.payment_id, ask.amount, ask.reason)));
}

// The body is checked against the signature exactly as received, before any parsing.
Response receive_webhook(domain::PaymentService& payments, Request& r) {
  auto outcome = payments.handle_webhook(
      context_of(r), [&r](std::string_view name) -> std::optional<std::string> {
        auto value = r.headers.get(name);
        return value ? std::optional<std::string>(std::string(*value)) : std::nullopt;
      },
      r.body);
  boost::json::object body{{"received", true}};
  if (outcome.result == domain::WebhookOutcome::Result::duplicate) body["duplicate"] = true;
  return http::json_response(200, std::move(body));
}

}  // namespace

void add_payment_routes(http::Router& router, domain::PaymentService& payments) {
  auto signed_in = http::AccessPolicy::signed_in();
  auto customer = http::AccessPolicy::any_role({"customer"});
  auto admin = http::AccessPolicy::any_role({"admin"});
  auto& p = payments;
  router.add({http::Method::post, "/api/payments", customer, [&p](Request& r) { return initiate_payment(p, r); }});
  router.add({http::Method::post, "/api/payments/refund", signed_in, [&p](Request& r) { return refund_payment(p, r); }});
  router.add({http::Method::post, "/api/payments/webhook", http::AccessPolicy::anyone(),
              [&p](Request& r) { return receive_webhook(p, r); }});
  router.add({http::Method::get, "/api/payments/:id", signed_in, [&p](Request& r) { return get_payment(p, r); }});
  router.add({http::Method::get, "/api/payments/:id/events", admin, [&p](Request& r) { return payment_events(p, r); }});
}

}  // namespace mercato::api
