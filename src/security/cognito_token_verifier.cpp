#include "security/cognito_token_verifier.hpp"

#include <algorithm>
#include <stdexcept>

#include <boost/json/value.hpp>

#include "core/principal.hpp"
#include "security/base64.hpp"
#include "security/compact_jws.hpp"

namespace mercato::security {

namespace json = boost::json;

namespace {

CognitoVerification invalid() { return {CognitoVerification::Outcome::invalid, std::nullopt, 0}; }

bool acceptable_header(const JoseHeader& header) {
  if (header.alg != "RS256" || header.kid.empty() || header.has_crit) return false;
  return !header.has_typ || header.typ == "JWT";
}

// Cognito sends a JSON boolean; some federated set-ups have been seen sending "true".
bool true_claim(const json::object& payload, std::string_view name) {
  const json::value* value = payload.if_contains(name);
  if (value == nullptr) return false;
  if (value->is_bool()) return value->get_bool();
  return value->is_string() && value->get_string() == "true";
}

std::vector<std::string> groups_claim(const json::object& payload) {
  std::vector<std::string> out;
  const json::value* value = payload.if_contains("cognito:groups");
  if (value == nullptr || !value->is_array()) return out;
  for (const auto& group : value->get_array())
    if (group.is_string()) out.emplace_back(group.get_string());
  return out;
}

// "aud" is a string in Cognito ID tokens; RFC 7519 also allows an array.
std::vector<std::string> audience_claim(const json::object& payload) {
  std::vector<std::string> out;
  const json::value* value = payload.if_contains("aud");
  if (value == nullptr) return out;
  if (value->is_string()) out.emplace_back(value->get_string());
  if (value->is_array())
    for (const auto& one : value->get_array())
      if (one.is_string()) out.emplace_back(one.get_string());
  return out;
}

bool current(const json::object& payload, std::int64_t now, std::int64_t skew) {
  auto exp = integer_claim(payload, "exp");
  auto iat = integer_claim(payload, "iat");
  if (!exp || !iat || *exp <= now - skew || *iat > now + skew) return false;
  if (payload.contains("nbf")) {
    auto nbf = integer_claim(payload, "nbf");
    if (!nbf || *nbf > now + skew) return false;
  }
  return true;
}

}  // namespace

CognitoTokenVerifier::CognitoTokenVerifier(CognitoSettings settings, SigningKeySource& keys, const Clock& clock)
    : settings_(std::move(settings)), keys_(keys), clock_(clock) {
  if (settings_.issuer.empty()) throw std::invalid_argument("Cognito issuer must not be empty");
  if (settings_.client_ids.empty()) throw std::invalid_argument("Cognito needs at least one client id");
}

bool CognitoTokenVerifier::accepted_client(std::string_view id) const {
  return std::find(settings_.client_ids.begin(), settings_.client_ids.end(), id) != settings_.client_ids.end();
}

CognitoVerification CognitoTokenVerifier::verify(std::string_view token) const {
  auto parts = split_compact_jws(token, max_token_bytes);
  if (!parts) return invalid();
  // The algorithm is settled before any key is looked up or fetched.
  auto header = read_jose_header(*parts);
  if (!header || !acceptable_header(*header)) return invalid();
  auto signature = base64url_decode(parts->signature_part);
  if (!signature) return invalid();

  auto lookup = keys_.find(header->kid);
  if (lookup.status == KeyLookup::Status::unavailable)
    return {CognitoVerification::Outcome::unavailable, std::nullopt, lookup.retry_after_seconds};
  const RsaPublicKey* key = lookup.keys ? lookup.keys->find(header->kid) : nullptr;
  if (lookup.status != KeyLookup::Status::found || key == nullptr) return invalid();
  if (!key->verify_rs256(parts->signing_input, *signature)) return invalid();

  auto payload = decode_json_segment(parts->payload_part);
  if (!payload) return invalid();
  auto now = std::chrono::floor<std::chrono::seconds>(clock_.now()).time_since_epoch().count();
  if (string_claim(*payload, "iss") != settings_.issuer || !current(*payload, now, clock_skew_seconds)) return invalid();

  auto sub = string_claim(*payload, "sub");
  auto use = string_claim(*payload, "token_use");
  if (!sub || sub->empty() || !use) return invalid();
  CognitoClaims claims{*sub, *use, std::nullopt, false, groups_claim(*payload), {}};
  if (*use == "access") {
    auto client = string_claim(*payload, "client_id");
    if (!client || !accepted_client(*client)) return invalid();
  } else if (*use == "id") {
    auto audience = audience_claim(*payload);
    if (std::none_of(audience.begin(), audience.end(), [&](const std::string& a) { return accepted_client(a); }))
      return invalid();
    claims.email = string_claim(*payload, "email");
    claims.email_verified = claims.email.has_value() && true_claim(*payload, "email_verified");
  } else {
    return invalid();
  }
  auto jti = string_claim(*payload, "origin_jti");
  if (!jti || jti->empty()) jti = string_claim(*payload, "jti");
  if (!jti || jti->empty()) return invalid();
  claims.session_id = std::string(cognito_session_prefix) + *jti;
  return {CognitoVerification::Outcome::valid, std::move(claims), 0};
}

}  // namespace mercato::security
