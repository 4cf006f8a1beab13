#include "stripe_emulator/stripe_errors.hpp"

#include <algorithm>
#include <cctype>

namespace mercato::stripe_emulator {

namespace {

// "sk_test_", "rk_live_", "pk_test_": two lower-case words each followed by '_'.
std::size_t mode_prefix_length(std::string_view key) {
  std::size_t underscores = 0;
  for (std::size_t i = 0; i < key.size() && i < 9; ++i) {
    if (key[i] == '_' && i > 0) {
      if (++underscores == 2) return i + 1;
    } else if (!std::islower(static_cast<unsigned char>(key[i]))) {
      return 0;
    }
  }
  return 0;
}

}  // namespace

std::string doc_url(std::string_view code) {
  std::string slug(code);
  std::replace(slug.begin(), slug.end(), '_', '-');
  return "https://stripe.com/docs/error-codes/" + slug;
}

StripeApiError::StripeApiError(int status, boost::json::object error, ErrorPhase phase)
    : std::runtime_error(error.contains("message") ? std::string(error.at("message").as_string()) : "stripe error"),
      status_(status),
      error_(std::move(error)),
      phase_(phase) {
  if (auto* code = error_.if_contains("code"); code && code->is_string() && !error_.contains("doc_url"))
    error_["doc_url"] = doc_url(code->as_string());
}

boost::json::object StripeApiError::body() const { return {{"error", error_}}; }

StripeApiError invalid_request(int status, std::string_view message, std::string_view code, std::string_view param,
                               ErrorPhase phase) {
  boost::json::object error{{"type", "invalid_request_error"}, {"message", message}};
  if (!code.empty()) error["code"] = code;
  if (!param.empty()) error["param"] = param;
  return {status, std::move(error), phase};
}

StripeApiError missing_api_key() {
  return invalid_request(401,
                         "You did not provide an API key. You need to provide your API key in the Authorization "
                         "header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See "
                         "https://stripe.com/docs/api#authentication for details, or we can help at "
                         "https://support.stripe.com/.",
                         {}, {}, ErrorPhase::validation);
}

StripeApiError invalid_api_key(std::string_view key) {
  return invalid_request(401, "Invalid API Key provided: " + mask_api_key(key), {}, {}, ErrorPhase::validation);
}

StripeApiError unrecognized_url(std::string_view method, std::string_view path) {
  return invalid_request(404,
                         "Unrecognized request URL (" + std::string(method) + ": " + std::string(path) +
                             "). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.",
                         {}, {}, ErrorPhase::validation);
}

StripeApiError malformed_body(std::string_view detail) {
  return invalid_request(400, "Invalid request: " + std::string(detail), {}, {}, ErrorPhase::validation);
}

StripeApiError parameter_missing(std::string_view param) {
  return invalid_request(400, "Missing required param: " + std::string(param) + ".", "parameter_missing", param,
                         ErrorPhase::validation);
}

StripeApiError parameter_unknown(std::string_view param) {
  return invalid_request(400, "Received unknown parameter: " + std::string(param), "parameter_unknown", param,
                         ErrorPhase::validation);
}

StripeApiError parameter_invalid_integer(std::string_view param, std::string_view value) {
  return invalid_request(400, "Invalid integer: " + std::string(value), "parameter_invalid_integer", param,
                         ErrorPhase::validation);
}

StripeApiError parameter_invalid(std::string_view param, std::string_view message) {
  return invalid_request(400, message, "parameter_invalid", param, ErrorPhase::validation);
}

StripeApiError resource_missing(std::string_view object_name, std::string_view param, std::string_view id,
                                int status) {
  return invalid_request(status, "No such " + std::string(object_name) + ": '" + std::string(id) + "'",
                         "resource_missing", param);
}

StripeApiError idempotency_key_mismatch(std::string_view key) {
  boost::json::object error{
      {"type", "idempotency_error"},
      {"message", "Keys for idempotent requests can only be used with the same parameters they were first used "
                  "with. Try using a key other than '" +
                      std::string(key) + "' if you meant to execute a different request."}};
  return {400, std::move(error), ErrorPhase::validation};
}

StripeApiError internal_error() {
  boost::json::object error{{"type", "api_error"},
                            {"message", "An unknown error occurred in the Stripe emulator; see its log."}};
  return {500, std::move(error), ErrorPhase::validation};
}

std::string mask_api_key(std::string_view key) {
  auto prefix = mode_prefix_length(key);
  auto rest = key.substr(prefix);
  auto shown = rest.size() > 4 ? std::size_t{4} : std::size_t{0};  // a short key is masked whole
  return std::string(key.substr(0, prefix)) + std::string(rest.size() - shown, '*') +
         std::string(rest.substr(rest.size() - shown));
}

}  // namespace mercato::stripe_emulator
