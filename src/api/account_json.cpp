#include "api/account_json.hpp"

namespace mercato::api {

boost::json::object user_json(const domain::User& user) {
  return {{"id", user.id},
          {"email", user.email},
          {"role", user.role},
          {"email_verified", user.email_verified},
          {"disabled", user.disabled},
          {"created_at", user.created_at},
          {"updated_at", user.updated_at}};
}

boost::json::object signed_in_json(const domain::SignedIn& signed_in) {
  return {{"access_token", signed_in.access_token},
          {"token_type", "Bearer"},
          {"expires_in", signed_in.expires_in},
          {"refresh_token", signed_in.refresh_token},
          {"user", user_json(signed_in.user)}};
}

domain::RequestContext context_of(const http::Request& request) {
  return {request.client_ip.empty() ? request.remote_address : request.client_ip, request.request_id,
          request.principal};
}

}  // namespace mercato::api
