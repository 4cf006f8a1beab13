#pragma once
// Stripe takes request parameters as application/x-www-form-urlencoded fields. Nested
// parameters are flat keys in Stripe's bracket syntax ("metadata[order_id]").

#include <string>
#include <utility>
#include <vector>

namespace mercato::clients::stripe {

using FormFields = std::vector<std::pair<std::string, std::string>>;

// "k1=v1&k2=v2" in the given order. Every byte outside RFC 3986's unreserved set is
// percent-encoded, brackets included: a decoder reads them back as the same key, and no
// value can break out of its field.
std::string form_encode(const FormFields& fields);

}  // namespace mercato::clients::stripe
