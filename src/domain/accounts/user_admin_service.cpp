#include "domain/accounts/user_admin_service.hpp"

#include "core/error.hpp"
#include "core/time_format.hpp"

namespace mercato::domain {

UserPage UserAdminService::list(std::optional<std::string_view> role, std::size_t limit,
                                const std::optional<UserCursor>& after) {
  if (role && !is_role(*role)) throw Error::validation({{"role", "Must be customer, vendor or admin."}});
  UserPage page;
  transactions_.read([&](AccountStore& store) { page = store.users().list(role, limit, after); });
  return page;
}

User UserAdminService::get(std::string_view id) {
  std::optional<UserRecord> record;
  transactions_.read([&](AccountStore& store) { record = store.users().find_by_id(id); });
  if (!record) throw Error::not_found("No such user.");
  return record->user;
}

User UserAdminService::update(const RequestContext& ctx, std::string_view id, const UserChanges& changes) {
  if (changes.role && !is_role(*changes.role)) throw Error::validation({{"role", "Must be customer, vendor or admin."}});
  std::optional<User> updated;
  bool last_admin = false;
  transactions_.run([&](AccountStore& store) {
    auto record = store.users().find_by_id(id);
    if (!record) return;
    auto before = record->user;
    auto role = changes.role.value_or(before.role);
    auto disabled = changes.disabled.value_or(before.disabled);
    bool loses_admin = before.role == role_admin && !before.disabled && (role != role_admin || disabled);
    // The count locks the admins' rows, so two admins demoting each other at once are
    // serialised and the second sees the first's change.
    if (loses_admin && store.users().count_enabled_admins() <= 1) {
      last_admin = true;
      return;
    }
    auto now = format_rfc3339(clock_.now());
    store.users().set_role_and_disabled(id, role, disabled, now);
    if (disabled && !before.disabled)
      store.sessions().revoke_user_families(id, RevokeReason::user_disabled, now);
    if (role != before.role) store.audit().record({"role_changed", true, ctx.actor ? ctx.actor->user_id : "",
                                                   std::string(id), ctx.ip, ctx.request_id, before.role + "->" + role});
    if (disabled != before.disabled)
      store.audit().record({disabled ? "user_disabled" : "user_enabled", true, ctx.actor ? ctx.actor->user_id : "",
                            std::string(id), ctx.ip, ctx.request_id, ""});
    updated = store.users().find_by_id(id)->user;
  });
  if (last_admin)
    throw Error::conflict("last_admin", "The last enabled admin cannot be disabled or demoted.");
  if (!updated) throw Error::not_found("No such user.");
  return *updated;
}

}  // namespace mercato::domain
