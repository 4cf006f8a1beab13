#pragma once
// Users in SQL. Emails are stored encrypted with a blind index (security/field_cipher):
// lookups and uniqueness go through the index, never the plaintext.

#include "db/connection.hpp"
#include "domain/accounts/account_store.hpp"
#include "security/field_cipher.hpp"

namespace mercato::db {

class SqlUserRepository final : public domain::UserRepository {
 public:
  SqlUserRepository(Connection& connection, const security::FieldCipher& cipher)
      : connection_(connection), cipher_(cipher) {}

  bool insert(const domain::User& user, const std::string& password_hash) override;
  std::optional<domain::UserRecord> find_by_email(std::string_view email) override;
  std::optional<domain::UserRecord> find_by_id(std::string_view id) override;
  void mark_email_verified(std::string_view id, std::string_view now) override;
  bool set_email(std::string_view id, std::string_view email, std::string_view now) override;
  void set_password_hash(std::string_view id, std::string_view hash, std::string_view now) override;
  void set_role_and_disabled(std::string_view id, std::string_view role, bool disabled,
                             std::string_view now) override;
  domain::UserPage list(std::optional<std::string_view> role, std::size_t limit,
                        const std::optional<domain::UserCursor>& after) override;
  std::int64_t count_enabled_admins() override;

 private:
  domain::UserRecord to_record(const Row& row) const;

  Connection& connection_;
  const security::FieldCipher& cipher_;
};

}  // namespace mercato::db
