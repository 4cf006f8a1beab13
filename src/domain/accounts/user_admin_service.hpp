#pragma once
// Admin management of users: list, read, change role or disable. Disabling ends every
// login of the user at once; the last enabled admin can be neither disabled nor demoted.

#include <optional>
#include <string>

#include "core/clock.hpp"
#include "domain/accounts/account_store.hpp"
#include "domain/accounts/request_context.hpp"

namespace mercato::domain {

struct UserChanges {
  std::optional<std::string> role;
  std::optional<bool> disabled;
};

class UserAdminService {
 public:
  UserAdminService(AccountTransactions& transactions, const Clock& clock)
      : transactions_(transactions), clock_(clock) {}

  UserPage list(std::optional<std::string_view> role, std::size_t limit, const std::optional<UserCursor>& after);
  User get(std::string_view id);
  User update(const RequestContext& ctx, std::string_view id, const UserChanges& changes);

 private:
  AccountTransactions& transactions_;
  const Clock& clock_;
};

}  // namespace mercato::domain
