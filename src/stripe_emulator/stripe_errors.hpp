#pragma once
// Stripe's error answers (https://docs.stripe.com/api/errors): {"error":{"type","code","param",
// "message",...}} with 400/401/402/404/409/500. Operations throw StripeApiError; the emulator
// turns it into a response in one place (StripeEmulator::handle).

#include <boost/json/object.hpp>

#include <stdexcept>
#include <string>
#include <string_view>

namespace mercato::stripe_emulator {

// Whether an idempotency key keeps the answer. Stripe saves a result only once the endpoint
// has started executing: a request refused while its parameters were being read is not saved,
// so the same key may be retried with corrected parameters.
enum class ErrorPhase { validation, execution };

class StripeApiError : public std::runtime_error {
 public:
  // `error` is the inner object (type, code, message, ...); doc_url is added for a code.
  StripeApiError(int status, boost::json::object error, ErrorPhase phase = ErrorPhase::execution);

  int status() const noexcept { return status_; }
  ErrorPhase phase() const noexcept { return phase_; }
  const boost::json::object& error() const noexcept { return error_; }
  boost::json::object body() const;

 private:
  int status_;
  boost::json::object error_;
  ErrorPhase phase_;
};

// type invalid_request_error with an optional code and param.
StripeApiError invalid_request(int status, std::string_view message, std::string_view code = {},
                               std::string_view param = {}, ErrorPhase phase = ErrorPhase::execution);

StripeApiError missing_api_key();
// The message shows the key masked as Stripe does (see mask_api_key).
StripeApiError invalid_api_key(std::string_view key);
StripeApiError unrecognized_url(std::string_view method, std::string_view path);
StripeApiError malformed_body(std::string_view detail);
StripeApiError parameter_missing(std::string_view param);
StripeApiError parameter_unknown(std::string_view param);
StripeApiError parameter_invalid_integer(std::string_view param, std::string_view value);
StripeApiError parameter_invalid(std::string_view param, std::string_view message);
// "No such payment_intent: 'pi_x'" with code resource_missing: 404 for the object a URL names,
// 400 for one a parameter names.
StripeApiError resource_missing(std::string_view object_name, std::string_view param, std::string_view id,
                                int status = 404);
StripeApiError idempotency_key_mismatch(std::string_view key);
StripeApiError internal_error();

// "https://stripe.com/docs/error-codes/card-declined" for "card_declined".
std::string doc_url(std::string_view code);

// All but the last four characters become '*'; a mode prefix such as "sk_test_" stays
// readable, as in Stripe's "Invalid API Key provided: sk_test_****abcd".
std::string mask_api_key(std::string_view key);

}  // namespace mercato::stripe_emulator
