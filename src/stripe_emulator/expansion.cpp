#include "stripe_emulator/expansion.hpp"

#include <algorithm>

#include "stripe_emulator/stripe_errors.hpp"

namespace mercato::stripe_emulator {

boost::json::object expand_fields(boost::json::object object, const std::vector<std::string>& paths,
                                  std::initializer_list<std::string_view> expandable, const Resolver& resolve) {
  for (const auto& path : paths) {
    if (std::find(expandable.begin(), expandable.end(), path) == expandable.end())
      throw invalid_request(400, "This property cannot be expanded (" + path + ").", {}, "expand",
                            ErrorPhase::validation);
    auto* slot = object.if_contains(path);
    if (!slot || !slot->is_string()) continue;  // null, or expanded already
    if (auto expanded = resolve(path, slot->as_string())) *slot = std::move(*expanded);
  }
  return object;
}

}  // namespace mercato::stripe_emulator
