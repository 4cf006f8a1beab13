#pragma once
// The storage the accounts service needs, as interfaces: src/db/accounts/ implements them
// in SQL. Every repository of one AccountStore works inside the same transaction.

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/accounts/user.hpp"
#include "domain/audit/audit_log.hpp"
#include "domain/mail/mail_queue.hpp"

namespace mercato::domain {

class UserRepository {
 public:
  virtual ~UserRepository() = default;
  // False when the email is taken.
  virtual bool insert(const User& user, const std::string& password_hash) = 0;
  virtual std::optional<UserRecord> find_by_email(std::string_view email) = 0;
  virtual std::optional<UserRecord> find_by_id(std::string_view id) = 0;
  virtual void mark_email_verified(std::string_view id, std::string_view now) = 0;
  // False when another user has the address.
  virtual bool set_email(std::string_view id, std::string_view email, std::string_view now) = 0;
  virtual void set_password_hash(std::string_view id, std::string_view hash, std::string_view now) = 0;
  virtual void set_role_and_disabled(std::string_view id, std::string_view role, bool disabled,
                                     std::string_view now) = 0;
  virtual UserPage list(std::optional<std::string_view> role, std::size_t limit,
                        const std::optional<UserCursor>& after) = 0;
  // Locks the rows it counts until the transaction ends.
  virtual std::int64_t count_enabled_admins() = 0;
};

struct RefreshTokenRecord {
  std::string token_id;
  std::string family_id;
  std::string user_id;
  bool spent = false;
  bool family_revoked = false;
  std::string family_expires_at;
};

// The state an access token depends on, read on every authenticated request.
struct SessionState {
  std::string role;
  bool user_disabled = false;
  bool session_revoked = false;
  bool email_verified = false;
};

enum class RevokeReason { logout, reuse_detected, password_changed, password_reset, user_disabled };

class SessionRepository {
 public:
  virtual ~SessionRepository() = default;
  virtual void create_family(std::string_view family_id, std::string_view user_id, std::string_view now,
                             std::string_view expires_at) = 0;
  virtual void add_token(std::string_view token_id, std::string_view family_id, std::string_view token_hash,
                         std::string_view now) = 0;
  virtual std::optional<RefreshTokenRecord> find_token(std::string_view token_hash) = 0;
  // Marks the token spent unless it already was; false when someone spent it first.
  virtual bool spend_token(std::string_view token_id, std::string_view now) = 0;
  virtual void revoke_family(std::string_view family_id, RevokeReason reason, std::string_view now) = 0;
  // Every live family of the user, except `keep` when given.
  virtual void revoke_user_families(std::string_view user_id, RevokeReason reason, std::string_view now,
                                    std::optional<std::string_view> keep = std::nullopt) = 0;
  virtual std::optional<SessionState> session_state(std::string_view user_id, std::string_view family_id,
                                                    std::string_view now) = 0;
};

enum class TokenPurpose { verify_email, reset_password };

struct OneTimeTokenRecord {
  std::string id;
  std::string user_id;
  std::string expires_at;
  bool usable = false;  // neither used nor voided
};

class OneTimeTokenRepository {
 public:
  virtual ~OneTimeTokenRepository() = default;
  // Voids the user's earlier tokens of that purpose, then stores the new one's digest.
  virtual void replace(std::string_view id, std::string_view user_id, TokenPurpose purpose,
                       std::string_view token_hash, std::string_view now, std::string_view expires_at) = 0;
  virtual std::optional<OneTimeTokenRecord> find(std::string_view token_hash, TokenPurpose purpose) = 0;
  // False when it was used or voided meanwhile.
  virtual bool consume(std::string_view id, std::string_view now) = 0;
};

struct StreamTicketRecord {
  std::string user_id;
  std::string session_id;
};

class StreamTicketRepository {
 public:
  virtual ~StreamTicketRepository() = default;
  virtual void insert(std::string_view token_hash, std::string_view user_id, std::string_view session_id,
                      std::string_view now, std::string_view expires_at) = 0;
  // Marks the ticket used when it is unused and unexpired; nullopt otherwise.
  virtual std::optional<StreamTicketRecord> consume(std::string_view token_hash, std::string_view now) = 0;
};

// Users who sign in through an external identity provider (Cognito), by the provider's
// stable subject id. One local user per (provider, subject) and per user.
class ExternalIdentityRepository {
 public:
  virtual ~ExternalIdentityRepository() = default;
  virtual std::optional<UserRecord> find_user(std::string_view provider, std::string_view subject) = 0;
  // False when the (provider, subject) or the user is linked already.
  virtual bool link(std::string_view provider, std::string_view subject, std::string_view user_id,
                    std::string_view now) = 0;
};

class AccountStore {
 public:
  virtual ~AccountStore() = default;
  virtual UserRepository& users() = 0;
  virtual SessionRepository& sessions() = 0;
  virtual OneTimeTokenRepository& one_time_tokens() = 0;
  virtual StreamTicketRepository& stream_tickets() = 0;
  virtual ExternalIdentityRepository& external_identities() = 0;
  virtual AuditLog& audit() = 0;
  virtual MailQueue& mail() = 0;
};

// Runs `work` in one database transaction and commits when it returns.
class AccountTransactions {
 public:
  virtual ~AccountTransactions() = default;
  virtual void run(const std::function<void(AccountStore&)>& work) = 0;
  // Runs `work` without a transaction, for reads: on SQLite a write transaction would
  // serialise every authenticated request.
  virtual void read(const std::function<void(AccountStore&)>& work) = 0;
};

}  // namespace mercato::domain
