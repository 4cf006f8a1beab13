#include "clients/stripe/stripe_error.hpp"

#include "clients/stripe/json_fields.hpp"

namespace mercato::clients::stripe {

namespace {

using Kind = domain::GatewayError::Kind;

constexpr std::size_t max_logged_message = 300;
constexpr std::string_view redacted = "[redacted]";

bool is_word_char(char c) noexcept {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

bool looks_secret(std::string_view word) noexcept {
  return word.find("_secret_") != std::string_view::npos || word.starts_with("sk_") || word.starts_with("rk_") ||
         word.starts_with("whsec_");
}

// Cuts at a character boundary so that the log line stays valid UTF-8.
std::string capped(std::string text) {
  if (text.size() <= max_logged_message) return text;
  auto cut = max_logged_message;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  text.resize(cut);
  return text + "...";
}

Kind kind_of(long status, const std::optional<StripeErrorBody>& error) {
  const std::string_view type = error ? std::string_view(error->type) : std::string_view{};
  if (status == 401 || status == 403 || type == "authentication_error") return Kind::authentication;
  if (status == 429 || type == "rate_limit_error") return Kind::rate_limited;
  if (type == "card_error") return Kind::card_declined;
  if (type == "invalid_request_error" || type == "idempotency_error") return Kind::invalid_request;
  if (type == "api_error") return Kind::unavailable;
  return status >= 500 ? Kind::unavailable : Kind::invalid_request;
}

std::string code_of(const std::optional<StripeErrorBody>& error) {
  if (!error) return {};
  // For a card error the decline code says why (insufficient_funds); the code only says "declined".
  if (error->type == "card_error" && !error->decline_code.empty()) return error->decline_code;
  return error->code;
}

std::string describe(const HttpReply& reply, const std::optional<StripeErrorBody>& error, bool exhausted) {
  std::string text = "stripe: HTTP " + std::to_string(reply.status);
  if (exhausted) text += " after the last attempt";
  if (!error) return text + " with an answer that is not Stripe's";
  text += " " + error->type;
  if (!error->code.empty()) text += "/" + error->code;
  if (!error->decline_code.empty()) text += " (" + error->decline_code + ")";
  if (!error->param.empty()) text += " param=" + error->param;
  if (!error->message.empty()) text += ": " + error->message;
  return text;
}

}  // namespace

std::optional<StripeErrorBody> parse_error_body(std::string_view body) {
  auto root = parse_object(body);
  if (!root) return std::nullopt;
  auto* error = object_at(*root, "error");
  if (!error) return std::nullopt;
  auto type = string_at(*error, "type");
  if (!type) return std::nullopt;
  return StripeErrorBody{std::move(*type), string_at(*error, "code").value_or(""),
                         string_at(*error, "decline_code").value_or(""), string_at(*error, "message").value_or(""),
                         string_at(*error, "param").value_or("")};
}

domain::GatewayError error_from_reply(const HttpReply& reply, bool exhausted, std::string_view secret_key) {
  auto error = parse_error_body(reply.body);
  auto kind = kind_of(reply.status, error);
  // A temporary condition outlived our attempts: the caller may try again later.
  if (exhausted) kind = reply.status == 429 ? Kind::rate_limited : Kind::unavailable;
  return domain::GatewayError(kind, code_of(error), scrub_for_log(describe(reply, error, exhausted), secret_key));
}

std::string scrub_for_log(std::string_view text, std::string_view secret_key) {
  std::string plain;  // the text without the configured key, wherever it sits
  plain.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    if (!secret_key.empty() && text.substr(i).starts_with(secret_key)) {
      plain += redacted;
      i += secret_key.size();
    } else {
      plain.push_back(text[i++]);
    }
  }
  std::string out;
  out.reserve(plain.size());
  for (std::size_t i = 0; i < plain.size();) {
    auto end = i;
    while (end < plain.size() && is_word_char(plain[end])) ++end;
    if (end == i) {
      out.push_back(plain[i++]);
      continue;
    }
    auto word = std::string_view(plain).substr(i, end - i);
    out += looks_secret(word) ? redacted : word;
    i = end;
  }
  return capped(std::move(out));
}

}  // namespace mercato::clients::stripe
