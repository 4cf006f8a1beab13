#pragma once
// Who is calling: set by authentication, read by access policies and services.

#include <string>

namespace mercato {

struct Principal {
  std::string user_id;
  std::string role;  // "customer" | "vendor" | "admin"
  std::string session_id;  // the login (refresh-token family) the access token belongs to
  bool email_verified = false;
};

}  // namespace mercato
