#pragma once
// Who is calling: set by authentication, read by access policies and services.

#include <string>
#include <string_view>

namespace mercato {

struct Principal {
  std::string user_id;
  std::string role;  // "customer" | "vendor" | "admin"
  // The login the token belongs to: a refresh-token family for Mercato's own sign-in, or
  // cognito_session_prefix + the Cognito token's origin_jti.
  std::string session_id;
  bool email_verified = false;
};

inline constexpr std::string_view cognito_session_prefix = "cognito:";

// A sign-in made at an external identity provider: no refresh-token family backs it.
inline bool is_external_session(std::string_view session_id) noexcept {
  return session_id.starts_with(cognito_session_prefix);
}

}  // namespace mercato
