#pragma once
// Links between an identity provider's subject ids and local users, in SQL.

#include "db/connection.hpp"
#include "domain/accounts/account_store.hpp"
#include "security/field_cipher.hpp"

namespace mercato::db {

class SqlExternalIdentityRepository final : public domain::ExternalIdentityRepository {
 public:
  SqlExternalIdentityRepository(Connection& connection, const security::FieldCipher& cipher)
      : connection_(connection), cipher_(cipher) {}

  std::optional<domain::UserRecord> find_user(std::string_view provider, std::string_view subject) override;
  bool link(std::string_view provider, std::string_view subject, std::string_view user_id,
            std::string_view now) override;

 private:
  Connection& connection_;
  const security::FieldCipher& cipher_;
};

}  // namespace mercato::db
