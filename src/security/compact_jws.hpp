#pragma once
// A compact JWS (RFC 7515 §7.1) split into its three parts, and its JOSE header read
// without any signature work: enough to choose which verifier may look at the token.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

namespace mercato::security {

struct CompactJws {
  std::string_view header_part;     // base64url, as received
  std::string_view payload_part;
  std::string_view signature_part;
  std::string_view signing_input;   // header_part '.' payload_part
};

// Three non-empty dot-separated parts, at most max_bytes long; nullopt otherwise.
std::optional<CompactJws> split_compact_jws(std::string_view token, std::size_t max_bytes);

// A base64url segment holding a JSON object; nullopt for anything else.
std::optional<boost::json::object> decode_json_segment(std::string_view segment);

// A payload claim when it has that JSON type; nullopt when absent or of another type.
std::optional<std::string> string_claim(const boost::json::object& payload, std::string_view name);
std::optional<std::int64_t> integer_claim(const boost::json::object& payload, std::string_view name);

// The header fields that select a verifier. Empty strings when absent or not strings.
struct JoseHeader {
  std::string alg;
  std::string kid;
  std::string typ;
  bool has_typ = false;
  bool has_crit = false;  // names extensions we do not implement: RFC 7515 §4.1.11 says refuse
};

// The decoded header; nullopt when it is not a JSON object.
std::optional<JoseHeader> read_jose_header(const CompactJws& parts);
// The decoded header of a token that splits; nullopt when it does not split or the header
// is not a JSON object. Says nothing about whether the token is valid.
std::optional<JoseHeader> peek_jose_header(std::string_view token, std::size_t max_bytes);

}  // namespace mercato::security
