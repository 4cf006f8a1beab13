#include "db/postgres/pg_error.hpp"

#include <libpq-fe.h>

#include <memory>
#include <vector>

namespace mercato::db {

namespace {

struct FreeConninfo {
  void operator()(PQconninfoOption* options) const noexcept { PQconninfoFree(options); }
};

// The password as libpq understands it (decoded, from the URL or a password= parameter).
std::string parsed_password(std::string_view conninfo) {
  char* error = nullptr;
  std::unique_ptr<PQconninfoOption, FreeConninfo> options(PQconninfoParse(std::string(conninfo).c_str(), &error));
  PQfreemem(error);
  if (!options) return {};
  for (auto option = options.get(); option->keyword; ++option)
    if (std::string_view(option->keyword) == "password" && option->val) return option->val;
  return {};
}

// The password as written in a URL's user info ("scheme://user:password@host"), still
// percent-encoded; found even when the URL is too malformed for libpq to parse.
std::string url_password(std::string_view conninfo) {
  auto scheme_end = conninfo.find("://");
  if (scheme_end == std::string_view::npos) return {};
  auto rest = conninfo.substr(scheme_end + 3);
  auto at = rest.rfind('@', rest.find('?'));
  if (at == std::string_view::npos) return {};
  auto user_info = rest.substr(0, at);
  auto colon = user_info.find(':');
  return colon == std::string_view::npos ? std::string{} : std::string(user_info.substr(colon + 1));
}

void scrub(std::string& text, std::string_view secret) {
  if (secret.empty()) return;
  constexpr std::string_view mask = "***";
  for (auto at = text.find(secret); at != std::string::npos; at = text.find(secret, at + mask.size()))
    text.replace(at, secret.size(), mask);
}

}  // namespace

Failure classify_sqlstate(std::string_view sqlstate) noexcept {
  if (sqlstate == "23505") return Failure::unique_violation;
  if (sqlstate == "23503") return Failure::foreign_key_violation;
  if (sqlstate == "23514") return Failure::check_violation;
  if (sqlstate == "23502") return Failure::not_null_violation;
  if (sqlstate == "40001" || sqlstate == "40P01") return Failure::serialization_failure;
  // 08P01 (protocol violation) is what a wrong parameter count gets: a bug, and the
  // connection stays sound. A stream that really broke shows as CONNECTION_BAD instead.
  if (sqlstate == "08P01") return Failure::other;
  // Class 08: connection exception; 57P01-57P03: the server is shutting down or starting;
  // 53300: too many connections.
  if (sqlstate.starts_with("08") || sqlstate == "57P01" || sqlstate == "57P02" || sqlstate == "57P03" ||
      sqlstate == "53300")
    return Failure::unavailable;
  return Failure::other;
}

std::string without_password(std::string message, std::string_view conninfo) {
  scrub(message, parsed_password(conninfo));
  scrub(message, url_password(conninfo));
  return message;
}

}  // namespace mercato::db
