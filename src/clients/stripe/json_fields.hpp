#pragma once
// Lenient reading of fields from Stripe's JSON objects: a field that is missing, null or
// of another type reads as absent, so each caller decides what it cannot do without.

#include <boost/json/object.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mercato::clients::stripe {

// The text as a JSON object; nullopt for invalid JSON or any other JSON value.
std::optional<boost::json::object> parse_object(std::string_view text);

const boost::json::object* object_at(const boost::json::object& parent, std::string_view key);
std::optional<std::string> string_at(const boost::json::object& parent, std::string_view key);
// Integers only: Stripe sends amounts and times as integers, never as fractions.
std::optional<std::int64_t> integer_at(const boost::json::object& parent, std::string_view key);
// A reference Stripe may expand into the object it names: "ch_1" or {"id": "ch_1", ...}.
std::optional<std::string> id_at(const boost::json::object& parent, std::string_view key);

}  // namespace mercato::clients::stripe
