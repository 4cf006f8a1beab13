#pragma once
// One-time email tokens (verification, password reset) in SQL; only digests are stored.

#include "db/connection.hpp"
#include "domain/accounts/account_store.hpp"

namespace mercato::db {

class SqlOneTimeTokenRepository final : public domain::OneTimeTokenRepository {
 public:
  explicit SqlOneTimeTokenRepository(Connection& connection) : connection_(connection) {}

  void replace(std::string_view id, std::string_view user_id, domain::TokenPurpose purpose,
               std::string_view token_hash, std::string_view now, std::string_view expires_at) override;
  std::optional<domain::OneTimeTokenRecord> find(std::string_view token_hash, domain::TokenPurpose purpose) override;
  bool consume(std::string_view id, std::string_view now) override;

 private:
  Connection& connection_;
};

}  // namespace mercato::db
