#pragma once
// Idempotency keys in SQL: claims in their own short transaction, completion inside the
// work's transaction (so a resource and its key commit together or not at all).

#include "db/connection.hpp"
#include "db/database.hpp"
#include "domain/idempotency/idempotency.hpp"

namespace mercato::db {

class SqlIdempotencyKeys final : public domain::IdempotencyKeys {
 public:
  explicit SqlIdempotencyKeys(Database& database) : database_(database) {}

  Result claim(const domain::IdempotencyKey& key, std::string_view token, std::string_view now,
               std::string_view stale_before, std::string_view expires_at) override;
  void release(const domain::IdempotencyKey& key, std::string_view token) noexcept override;

 private:
  Database& database_;
};

class SqlIdempotencyCompletion final : public domain::IdempotencyCompletion {
 public:
  explicit SqlIdempotencyCompletion(Connection& connection) : connection_(connection) {}

  bool complete(const domain::IdempotencyKey& key, std::string_view token, std::string_view resource_id,
                std::string_view now) override;

 private:
  Connection& connection_;
};

}  // namespace mercato::db
