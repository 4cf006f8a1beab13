#pragma once
// Event-stream tickets in SQL: only their digest is stored; consuming one is a single
// conditional UPDATE, so a ticket is good once even when two processes race for it.

#include "db/connection.hpp"
#include "domain/accounts/account_store.hpp"

namespace mercato::db {

class SqlStreamTicketRepository final : public domain::StreamTicketRepository {
 public:
  explicit SqlStreamTicketRepository(Connection& connection) : connection_(connection) {}

  void insert(std::string_view token_hash, std::string_view user_id, std::string_view session_id,
              std::string_view now, std::string_view expires_at) override;
  std::optional<domain::StreamTicketRecord> consume(std::string_view token_hash, std::string_view now) override;

 private:
  Connection& connection_;
};

}  // namespace mercato::db
