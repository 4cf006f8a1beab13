#pragma once
// A user account as the API shows it, and the roles it may have.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mercato::domain {

inline constexpr std::string_view role_customer = "customer";
inline constexpr std::string_view role_vendor = "vendor";
inline constexpr std::string_view role_admin = "admin";

inline bool is_role(std::string_view role) {
  return role == role_customer || role == role_vendor || role == role_admin;
}

struct User {
  std::string id;
  std::string email;  // normalised: trimmed, lower-case
  std::string role;
  bool email_verified = false;
  bool disabled = false;
  std::string created_at;  // RFC 3339 UTC
  std::string updated_at;
};

// Stored as password_hash for users who sign in at an identity provider (Cognito): not a
// bcrypt hash, so no password ever verifies against it (the column is NOT NULL).
inline constexpr std::string_view no_local_password = "!external";

// What the store keeps beside the public fields.
struct UserRecord {
  User user;
  std::string password_hash;
};

// Where a keyset page starts: after this (created_at, id).
struct UserCursor {
  std::string created_at;
  std::string id;
};

struct UserPage {
  std::vector<User> users;
  bool has_more = false;
};

}  // namespace mercato::domain
