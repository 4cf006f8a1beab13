#include "security/jwt.hpp"

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <stdexcept>
#include <vector>

#include "security/base64.hpp"
#include "security/compact_jws.hpp"
#include "security/digest.hpp"

namespace mercato::security {
namespace {

namespace json = boost::json;

// The only header we issue; verify() accepts any JSON header with the same meaning.
constexpr std::string_view issued_header = R"({"alg":"HS256","typ":"JWT"})";

// alg must be exactly "HS256"; typ, when present, "JWT"; and "crit" names extensions we
// do not implement, which RFC 7515 §4.1.11 says must be refused.
bool acceptable_header(const json::object& header) {
  const json::value* alg = header.if_contains("alg");
  if (alg == nullptr || !alg->is_string() || alg->get_string() != "HS256") return false;
  if (const json::value* typ = header.if_contains("typ"); typ != nullptr) {
    if (!typ->is_string() || typ->get_string() != "JWT") return false;
  }
  return !header.contains("crit");
}

std::optional<AccessClaims> read_claims(const json::object& payload) {
  auto sub = string_claim(payload, "sub");
  auto role = string_claim(payload, "role");
  auto sid = string_claim(payload, "sid");
  auto jti = string_claim(payload, "jti");
  auto iss = string_claim(payload, "iss");
  auto use = string_claim(payload, "token_use");
  auto iat = integer_claim(payload, "iat");
  auto exp = integer_claim(payload, "exp");
  if (!sub || !role || !sid || !jti || !iss || !use || !iat || !exp) return std::nullopt;
  if (sub->empty() || jti->empty() || *use != "access" || *exp <= *iat) return std::nullopt;
  return AccessClaims{std::move(*sub), std::move(*role), std::move(*sid), *iat, *exp, std::move(*jti), std::move(*iss)};
}

}  // namespace

JwtSigner::JwtSigner(std::string secret, std::string issuer, std::chrono::seconds lifetime, const Clock& clock,
                     RandomSource& random)
    : secret_(std::move(secret)), issuer_(std::move(issuer)), lifetime_(lifetime), clock_(clock), random_(random) {
  if (secret_.size() < min_secret_bytes) throw std::invalid_argument("JWT secret must be at least 32 bytes");
  if (issuer_.empty()) throw std::invalid_argument("JWT issuer must not be empty");
  if (lifetime_ <= std::chrono::seconds::zero()) throw std::invalid_argument("JWT lifetime must be positive");
}

std::int64_t JwtSigner::now_seconds() const {
  return std::chrono::floor<std::chrono::seconds>(clock_.now()).time_since_epoch().count();
}

std::string JwtSigner::issue(std::string_view subject, std::string_view role, std::string_view session_id) const {
  std::int64_t now = now_seconds();
  json::object payload;
  payload["sub"] = subject;
  payload["role"] = role;
  payload["sid"] = session_id;
  payload["iat"] = now;
  payload["exp"] = now + lifetime_.count();
  payload["jti"] = random_hex(random_, 16);
  payload["iss"] = issuer_;
  payload["token_use"] = "access";
  std::string token = base64url_encode(byte_view(issued_header));
  token += '.';
  token += base64url_encode(byte_view(json::serialize(payload)));
  auto signature = hmac_sha256(byte_view(secret_), token);
  token += '.';
  token += base64url_encode(signature);
  return token;
}

std::optional<AccessClaims> JwtSigner::verify(std::string_view token) const {
  auto parts = split_compact_jws(token, max_token_bytes);
  if (!parts) return std::nullopt;

  // The algorithm is settled before any signature work.
  auto header = decode_json_segment(parts->header_part);
  if (!header || !acceptable_header(*header)) return std::nullopt;

  auto signature = base64url_decode(parts->signature_part);
  if (!signature) return std::nullopt;
  auto expected = hmac_sha256(byte_view(secret_), parts->signing_input);
  std::string_view given(reinterpret_cast<const char*>(signature->data()), signature->size());
  if (!constant_time_equal(given, std::string_view(reinterpret_cast<const char*>(expected.data()), expected.size()))) {
    return std::nullopt;
  }

  auto payload = decode_json_segment(parts->payload_part);
  if (!payload) return std::nullopt;
  auto claims = read_claims(*payload);
  if (!claims || claims->issuer != issuer_) return std::nullopt;
  std::int64_t now = now_seconds();
  std::int64_t skew = clock_skew.count();
  if (claims->expires_at <= now - skew || claims->issued_at > now + skew) return std::nullopt;
  return claims;
}

}  // namespace mercato::security
