#pragma once
// Decodes application/x-www-form-urlencoded text (a POST body or a query string) the way
// Stripe reads it: `metadata[order_id]=x` nests, `expand[]=a&expand[]=b` appends to an array,
// brackets may be literal or percent-encoded, `+` is a space. Every value stays a string.

#include <boost/json/object.hpp>

#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mercato::stripe_emulator {

using FormFields = std::vector<std::pair<std::string, std::string>>;

// Text that cannot be decoded: a bad %-escape, invalid UTF-8, an unclosed bracket, a name
// used both as a value and as a container.
class FormError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Splits on '&' and decodes names and values, in order. Empty pieces ("a=1&&b=2") are skipped.
FormFields split_form(std::string_view text);

// Builds the nested object. An indexed name (`expand[0]=a`) makes an object keyed "0": readers
// of array parameters accept that as well as a real array, as Stripe does.
boost::json::object nest_form(const FormFields& fields);

inline boost::json::object decode_form(std::string_view text) { return nest_form(split_form(text)); }

}  // namespace mercato::stripe_emulator
