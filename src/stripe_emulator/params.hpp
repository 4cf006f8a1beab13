#pragma once
// One request's parameters, read the way Stripe validates them: a name the endpoint does not
// take is refused (parameter_unknown), values are text converted on demand, and an empty
// value counts as absent (Stripe's way of unsetting a field).

#include <boost/json/object.hpp>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mercato::stripe_emulator {

class Params {
 public:
  // Throws parameter_unknown for a name not in `allowed`.
  Params(boost::json::object fields, std::initializer_list<std::string_view> allowed);

  bool has(std::string_view name) const;
  std::optional<std::string> text(std::string_view name) const;
  std::string required_text(std::string_view name) const;
  std::optional<std::int64_t> integer(std::string_view name) const;
  std::optional<bool> boolean(std::string_view name) const;
  // A nested hash such as automatic_payment_methods[enabled], with its own allowed names.
  std::optional<Params> nested(std::string_view name, std::initializer_list<std::string_view> allowed) const;
  // metadata[...]: string values, within Stripe's limits (50 keys, 40-character keys, 500-character values).
  boost::json::object metadata() const;
  // An array parameter: `a[]=x` or `a[0]=x` (ordered by index).
  std::vector<std::string> list(std::string_view name) const;

 private:
  Params(boost::json::object fields, std::initializer_list<std::string_view> allowed, std::string prefix);
  const boost::json::value* find(std::string_view name) const;
  std::string full_name(std::string_view name) const;

  boost::json::object fields_;
  std::string prefix_;  // "parent" for nested parameters, so errors name "parent[child]"
};

}  // namespace mercato::stripe_emulator
