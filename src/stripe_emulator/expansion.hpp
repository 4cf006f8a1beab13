#pragma once
// Stripe's `expand[]` (https://docs.stripe.com/expand): an id field replaced by the object it
// names. The emulator expands the direct references of each object, not nested paths.

#include <boost/json/object.hpp>

#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mercato::stripe_emulator {

// The object `id` names in `field`; nullopt leaves the id as it is.
using Resolver = std::function<std::optional<boost::json::object>(std::string_view field, std::string_view id)>;

// Throws a 400 "This property cannot be expanded (x)." for a path not in `expandable`.
boost::json::object expand_fields(boost::json::object object, const std::vector<std::string>& paths,
                                  std::initializer_list<std::string_view> expandable, const Resolver& resolve);

}  // namespace mercato::stripe_emulator
