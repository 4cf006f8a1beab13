#pragma once
// /api/users: admin management of accounts.

#include "domain/accounts/user_admin_service.hpp"
#include "http/router.hpp"

namespace mercato::api {

void add_users_routes(http::Router& router, domain::UserAdminService& users);

}  // namespace mercato::api
