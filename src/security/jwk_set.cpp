#include "security/jwk_set.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

namespace mercato::security {

namespace json = boost::json;

namespace {

std::optional<std::string_view> string_member(const json::object& object, std::string_view name) {
  const json::value* value = object.if_contains(name);
  if (value == nullptr || !value->is_string()) return std::nullopt;
  return std::string_view(value->get_string());
}

// Absent, or present with exactly this value.
bool absent_or(const json::object& object, std::string_view name, std::string_view expected) {
  if (!object.contains(name)) return true;
  auto value = string_member(object, name);
  return value && *value == expected;
}

std::optional<RsaPublicKey> rs256_key(const json::object& jwk) {
  if (string_member(jwk, "kty") != std::optional<std::string_view>("RSA")) return std::nullopt;
  if (!absent_or(jwk, "use", "sig") || !absent_or(jwk, "alg", "RS256")) return std::nullopt;
  auto n = string_member(jwk, "n");
  auto e = string_member(jwk, "e");
  if (!n || !e) return std::nullopt;
  auto key = RsaPublicKey::from_jwk(*n, *e);
  if (!key || key->bits() < JwkSet::min_rsa_bits) return std::nullopt;
  return key;
}

}  // namespace

std::optional<JwkSet> JwkSet::parse(std::string_view document) {
  boost::system::error_code ec;
  json::value root = json::parse(document, ec);
  if (ec || !root.is_object()) return std::nullopt;
  const json::value* keys = root.as_object().if_contains("keys");
  if (keys == nullptr || !keys->is_array()) return std::nullopt;
  JwkSet out;
  for (const auto& entry : keys->get_array()) {
    if (!entry.is_object()) continue;
    auto kid = string_member(entry.get_object(), "kid");
    if (!kid || kid->empty() || out.keys_.contains(*kid)) continue;
    if (auto key = rs256_key(entry.get_object())) out.keys_.emplace(std::string(*kid), std::move(*key));
  }
  return out;
}

const RsaPublicKey* JwkSet::find(std::string_view kid) const {
  auto it = keys_.find(kid);
  return it == keys_.end() ? nullptr : &it->second;
}

}  // namespace mercato::security
