#include "clients/stripe/webhook_signature.hpp"

#include <charconv>
#include <optional>

#include "security/digest.hpp"

namespace mercato::clients::stripe {

namespace {

struct ParsedHeader {
  std::optional<std::int64_t> timestamp;
  std::vector<std::string_view> signatures;
  bool malformed = false;
};

std::optional<std::int64_t> parse_seconds(std::string_view text) {
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || value <= 0) return std::nullopt;
  return value;
}

ParsedHeader parse(std::string_view header) {
  ParsedHeader parsed;
  while (!header.empty()) {
    auto comma = header.find(',');
    auto item = header.substr(0, comma);
    header = comma == std::string_view::npos ? std::string_view{} : header.substr(comma + 1);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    auto equals = item.find('=');
    if (equals == std::string_view::npos) {
      parsed.malformed = true;
      continue;
    }
    auto key = item.substr(0, equals);
    auto value = item.substr(equals + 1);
    if (key == "t") {
      if (parsed.timestamp) parsed.malformed = true;  // two timestamps: which one was signed?
      parsed.timestamp = parse_seconds(value);
      if (!parsed.timestamp) parsed.malformed = true;
    } else if (key == "v1") {
      parsed.signatures.push_back(value);
    }  // v0 (test mode's fake signature) and future schemes are ignored, as Stripe's libraries do
  }
  return parsed;
}

std::string signature(std::string_view secret, std::string_view timestamp, std::string_view payload) {
  std::string signed_payload;
  signed_payload.reserve(timestamp.size() + 1 + payload.size());
  signed_payload.append(timestamp).append(1, '.').append(payload);
  return security::hmac_sha256_hex(security::byte_view(secret), signed_payload);
}

}  // namespace

std::string_view to_string(SignatureCheck check) noexcept {
  switch (check) {
    case SignatureCheck::valid: return "valid";
    case SignatureCheck::missing: return "missing";
    case SignatureCheck::malformed: return "malformed";
    case SignatureCheck::stale: return "stale";
    case SignatureCheck::no_match: return "no_match";
  }
  return "unknown";
}

std::string sign_webhook(std::string_view secret, std::int64_t timestamp, std::string_view payload) {
  auto t = std::to_string(timestamp);
  return "t=" + t + ",v1=" + signature(secret, t, payload);
}

SignatureCheck verify_webhook(std::string_view header, std::string_view payload,
                              const std::vector<std::string>& secrets, std::chrono::system_clock::time_point now,
                              std::chrono::seconds tolerance) {
  if (header.empty()) return SignatureCheck::missing;
  auto parsed = parse(header);
  if (parsed.malformed || !parsed.timestamp || parsed.signatures.empty()) return SignatureCheck::malformed;
  auto now_seconds = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  auto age = now_seconds - *parsed.timestamp;
  if (age > tolerance.count() || -age > tolerance.count()) return SignatureCheck::stale;
  auto t = std::to_string(*parsed.timestamp);
  bool matched = false;
  // No early exit: the time taken says nothing about which candidate matched.
  for (const auto& secret : secrets) {
    if (secret.empty()) continue;
    auto expected = signature(secret, t, payload);
    for (auto candidate : parsed.signatures) matched |= security::constant_time_equal(expected, candidate);
  }
  return matched ? SignatureCheck::valid : SignatureCheck::no_match;
}

}  // namespace mercato::clients::stripe
