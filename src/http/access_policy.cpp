#include "http/access_policy.hpp"

namespace mercato::http {

std::string AccessPolicy::describe() const {
  switch (kind) {
    case Kind::undeclared: return "undeclared";
    case Kind::anyone: return "anyone";
    case Kind::signed_in: return "signed_in";
    case Kind::roles: break;
  }
  std::string out = "roles:";
  for (std::size_t i = 0; i < roles.size(); ++i) out += (i ? "," : "") + roles[i];
  return out;
}

}  // namespace mercato::http
