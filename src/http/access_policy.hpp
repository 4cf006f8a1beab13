#pragma once
// Who may call a route. Every route declares one; the router refuses a route without.

#include <string>
#include <vector>

namespace mercato::http {

struct AccessPolicy {
  enum class Kind { undeclared, anyone, signed_in, roles };
  Kind kind = Kind::undeclared;  // the router refuses undeclared routes
  std::vector<std::string> roles;  // with Kind::roles: any of these

  static AccessPolicy anyone() { return {Kind::anyone, {}}; }
  static AccessPolicy signed_in() { return {Kind::signed_in, {}}; }
  static AccessPolicy any_role(std::vector<std::string> roles) { return {Kind::roles, std::move(roles)}; }

  std::string describe() const;
};

}  // namespace mercato::http
