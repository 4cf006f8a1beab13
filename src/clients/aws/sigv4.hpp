#pragma once
// AWS Signature Version 4 for an HttpCall: what every AWS API needs in place of an SDK.
// Exact to AWS's published test suite; see docs/security.md for where the keys come from.

#include <chrono>
#include <string>
#include <string_view>

#include "clients/http_client.hpp"
#include "core/clock.hpp"

namespace mercato::clients::aws {

// The standard AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN; the token
// is empty for long-lived keys and set for a role's temporary credentials (Lambda).
struct Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;
};

struct SigningScope {
  std::string region;   // e.g. eu-west-1
  std::string service;  // e.g. secretsmanager
};

// The intermediate texts as well as the result, so that a test can say which step differs.
struct Signature {
  std::string canonical_request;
  std::string string_to_sign;
  std::string authorization;  // the Authorization header's value
};

// Signs `call` as it stands: its method, URL (host, path, query), every header it carries
// and its body. The call must carry X-Amz-Date (and X-Amz-Security-Token when a token is
// used); sign() adds both. Throws std::invalid_argument for a URL it cannot parse.
Signature signature_of(const HttpCall& call, const Credentials& credentials, const SigningScope& scope);

// Adds X-Amz-Date (from `clock`), X-Amz-Security-Token when there is a session token,
// and Authorization to `call`. Headers added to the call afterwards are not signed.
void sign(HttpCall& call, const Credentials& credentials, const SigningScope& scope, const Clock& clock);

// "20150830T123600Z", the X-Amz-Date form of a time (UTC).
std::string amz_date(std::chrono::system_clock::time_point time);

}  // namespace mercato::clients::aws
