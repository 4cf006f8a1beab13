#pragma once
// Who asked and from where: what services need of a request for audit and rate limits,
// without knowing HTTP.

#include <optional>
#include <string>

#include "core/principal.hpp"

namespace mercato::domain {

struct RequestContext {
  std::string ip;
  std::string request_id;
  std::optional<Principal> actor;
};

}  // namespace mercato::domain
