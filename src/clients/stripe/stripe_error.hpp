#pragma once
// Stripe's error answers (https://docs.stripe.com/api/errors):
//   {"error": {"type", "code", "decline_code", "message", "param"}}
// and how each becomes a GatewayError the payments service can act on.

#include <optional>
#include <string>
#include <string_view>

#include "clients/http_client.hpp"
#include "domain/payments/payment_gateway.hpp"

namespace mercato::clients::stripe {

struct StripeErrorBody {
  std::string type;  // card_error, invalid_request_error, idempotency_error, api_error, ...
  std::string code;
  std::string decline_code;
  std::string message;
  std::string param;
};

// nullopt when the body is not Stripe's error shape (a proxy's HTML page, say).
std::optional<StripeErrorBody> parse_error_body(std::string_view body);

// The error for a non-2xx answer. `exhausted`: the answer was worth retrying and no
// attempt was left, so the outcome is temporary whatever the body says. The message
// (for the log) never holds the secret key or a client secret.
domain::GatewayError error_from_reply(const HttpReply& reply, bool exhausted, std::string_view secret_key);

// Text from outside, made fit for the log: the secret key, anything shaped like a Stripe
// key or a client secret ("pi_..._secret_...") is replaced, and the length is capped.
std::string scrub_for_log(std::string_view text, std::string_view secret_key);

}  // namespace mercato::clients::stripe
