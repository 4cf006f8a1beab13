#pragma once
// Refresh-token families and their tokens in SQL (only SHA-256 digests are stored).

#include "db/connection.hpp"
#include "domain/accounts/account_store.hpp"

namespace mercato::db {

class SqlSessionRepository final : public domain::SessionRepository {
 public:
  explicit SqlSessionRepository(Connection& connection) : connection_(connection) {}

  void create_family(std::string_view family_id, std::string_view user_id, std::string_view now,
                     std::string_view expires_at) override;
  void add_token(std::string_view token_id, std::string_view family_id, std::string_view token_hash,
                 std::string_view now) override;
  std::optional<domain::RefreshTokenRecord> find_token(std::string_view token_hash) override;
  bool spend_token(std::string_view token_id, std::string_view now) override;
  void revoke_family(std::string_view family_id, domain::RevokeReason reason, std::string_view now) override;
  void revoke_user_families(std::string_view user_id, domain::RevokeReason reason, std::string_view now,
                            std::optional<std::string_view> keep) override;
  std::optional<domain::SessionState> session_state(std::string_view user_id, std::string_view family_id,
                                                    std::string_view now) override;

 private:
  Connection& connection_;
};

}  // namespace mercato::db
