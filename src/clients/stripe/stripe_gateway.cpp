#include "clients/stripe/stripe_gateway.hpp"

#include "clients/stripe/stripe_objects.hpp"
#include "clients/stripe/webhook_event.hpp"
#include "clients/stripe/webhook_signature.hpp"

namespace mercato::clients::stripe {

namespace {

using Kind = domain::GatewayError::Kind;

constexpr std::size_t max_id_length = 255;

// An id goes into a URL path: only Stripe's own id alphabet may, so that no id can name
// another resource ("../") or smuggle a query.
std::string checked_id(std::string_view id) {
  bool ok = !id.empty() && id.size() <= max_id_length;
  for (unsigned char c : id)
    ok = ok && ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_');
  if (!ok) throw domain::GatewayError(Kind::invalid_request, "invalid_id", "stripe: refused a malformed object id");
  return std::string(id);
}

domain::GatewayError unreadable(const ApiRequest& request, std::string_view what) {
  // The call succeeded but the answer lacks what we need: unknown outcome, ask again later.
  return domain::GatewayError(
      Kind::unavailable, "",
      "stripe: the answer to " + request.method + " " + request.path + " is not a " + std::string(what));
}

}  // namespace

StripeGateway::StripeGateway(StripeOptions options, HttpClient& http, const Clock& clock,
                             security::RandomSource& random, observability::Logger& log, SleepFunction sleep)
    : api_(std::move(options), http, clock, random, log, std::move(sleep)), clock_(clock) {}

domain::GatewayIntent StripeGateway::intent_from(const ApiRequest& request) {
  auto intent = read_intent(api_.call(request));
  if (!intent) throw unreadable(request, "payment intent");
  return std::move(*intent);
}

domain::GatewayRefund StripeGateway::refund_from(const ApiRequest& request) {
  auto refund = read_refund(api_.call(request));
  if (!refund) throw unreadable(request, "refund");
  return std::move(*refund);
}

domain::GatewayIntent StripeGateway::create_intent(const domain::IntentRequest& request) {
  return intent_from({"POST",
                      "/v1/payment_intents",
                      {{"amount", std::to_string(request.amount)},
                       {"currency", request.currency},
                       {"metadata[order_id]", request.order_id},
                       {"metadata[payment_id]", request.payment_id},
                       {"automatic_payment_methods[enabled]", "true"}},
                      request.idempotency_key});
}

domain::GatewayIntent StripeGateway::retrieve_intent(std::string_view intent_id) {
  return intent_from({"GET", "/v1/payment_intents/" + checked_id(intent_id), {}, {}});
}

void StripeGateway::cancel_intent(std::string_view intent_id, std::string_view idempotency_key) {
  // The answer is the canceled intent; the service learns the outcome from the webhook.
  api_.call({"POST",
             "/v1/payment_intents/" + checked_id(intent_id) + "/cancel",
             {{"cancellation_reason", "abandoned"}},
             std::string(idempotency_key)});
}

domain::GatewayRefund StripeGateway::create_refund(const domain::RefundRequest& request) {
  return refund_from({"POST",
                      "/v1/refunds",
                      {{"payment_intent", request.intent_id},
                       {"amount", std::to_string(request.amount)},
                       {"metadata[refund_id]", request.refund_id},
                       {"metadata[payment_id]", request.payment_id}},
                      request.idempotency_key});
}

domain::GatewayRefund StripeGateway::retrieve_refund(std::string_view refund_id) {
  return refund_from({"GET", "/v1/refunds/" + checked_id(refund_id), {}, {}});
}

domain::GatewayEvent StripeGateway::read_webhook(const HeaderLookup& header, std::string_view raw_body) {
  auto signature = header("Stripe-Signature");
  auto check = verify_webhook(signature.value_or(""), raw_body, api_.options().webhook_secrets, clock_.now());
  if (check != SignatureCheck::valid) throw domain::WebhookRejected(std::string(to_string(check)));
  return parse_event(raw_body);
}

}  // namespace mercato::clients::stripe
