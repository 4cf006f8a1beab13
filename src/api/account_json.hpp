#pragma once
// JSON shapes of the accounts API (User, the signed-in answer) and the request context
// that services receive.

#include <boost/json/value.hpp>

#include "domain/accounts/auth_service.hpp"
#include "domain/accounts/request_context.hpp"
#include "domain/accounts/user.hpp"
#include "http/request.hpp"

namespace mercato::api {

boost::json::object user_json(const domain::User& user);
boost::json::object signed_in_json(const domain::SignedIn& signed_in);
domain::RequestContext context_of(const http::Request& request);

}  // namespace mercato::api
