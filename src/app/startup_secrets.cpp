#include "app/startup_secrets.hpp"

#include <boost/json.hpp>
#include <map>
#include <memory>

namespace mercato::app {

namespace {

namespace json = boost::json;
namespace aws = clients::aws;

using Overlay = std::map<std::string, std::string, std::less<>>;

// Reads are env(<literal name>) calls so that tools/infra-checks/check-env-vars.js finds them.
std::optional<std::string> non_empty(std::optional<std::string> value) {
  if (!value || value->empty()) return std::nullopt;
  return value;
}

std::string required(std::string_view name, std::optional<std::string> value) {
  if (!non_empty(value)) throw ConfigError(std::string{name}, "is required when SECRETS_ARN or DATABASE_SECRET_ARN is set");
  return *value;
}

std::string endpoint_url(std::string_view name, const std::string& value) {
  if (value.rfind("https://", 0) != 0 && value.rfind("http://", 0) != 0)
    throw ConfigError(std::string{name}, "must be an http:// or https:// URL");
  return value;
}

// The SDKs' override names, service-specific first; used by tests and local emulators.
std::string endpoint_of(const Environment& env, const std::string& region) {
  if (auto url = non_empty(env("AWS_ENDPOINT_URL_SECRETS_MANAGER")))
    return endpoint_url("AWS_ENDPOINT_URL_SECRETS_MANAGER", *url);
  if (auto url = non_empty(env("AWS_ENDPOINT_URL"))) return endpoint_url("AWS_ENDPOINT_URL", *url);
  return aws::secrets_manager_endpoint(region);
}

aws::SecretsManagerOptions options_of(const Environment& env) {
  aws::SecretsManagerOptions options;
  options.region = required("AWS_REGION", env("AWS_REGION"));
  options.credentials.access_key_id = required("AWS_ACCESS_KEY_ID", env("AWS_ACCESS_KEY_ID"));
  options.credentials.secret_access_key = required("AWS_SECRET_ACCESS_KEY", env("AWS_SECRET_ACCESS_KEY"));
  options.credentials.session_token = non_empty(env("AWS_SESSION_TOKEN")).value_or("");
  options.endpoint = endpoint_of(env, options.region);
  return options;
}

std::string fetch(aws::SecretsManagerClient& client, const std::string& arn) {
  try {
    return client.get_secret_string(arn);
  } catch (const aws::SecretsManagerError& e) {
    throw StartupSecretsError(e.what());
  } catch (const clients::HttpTransportError& e) {
    throw StartupSecretsError("Secrets Manager GetSecretValue of " + arn + " could not be sent: " + e.what());
  }
}

// The parsed secret as an object; the message never quotes the text (it is the secret).
json::object object_of(const std::string& secret, std::string_view arn_variable, std::string_view shape) {
  boost::system::error_code ec;
  auto document = json::parse(secret, ec);
  if (ec || !document.is_object())
    throw ConfigError(std::string{arn_variable}, "the secret's value must be " + std::string{shape});
  return std::move(document.as_object());
}

// Quoted and escaped, and cut short: a key is shown, but a garbled one must stay readable.
std::string quoted_key(std::string_view key) {
  auto shown = key.size() > 64 ? std::string(key.substr(0, 64)) + "..." : std::string(key);
  return json::serialize(json::string(shown));
}

bool is_variable_name(std::string_view name) {
  if (name.empty() || name.front() < 'A' || name.front() > 'Z') return false;
  for (char c : name)
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) return false;
  return true;
}

// The secret must not redirect where secrets come from, nor whose credentials sign for them.
bool is_reserved(std::string_view name) {
  return name.starts_with("AWS_") || name == "SECRETS_ARN" || name == "DATABASE_SECRET_ARN";
}

void overlay_app_secret(const Environment& base, const std::string& secret, Overlay& overlay, StartupSecrets& out) {
  auto object = object_of(secret, "SECRETS_ARN", "a JSON object of environment variable names to strings");
  for (const auto& [key, value] : object) {
    if (!is_variable_name(key))
      throw ConfigError("SECRETS_ARN", "the key " + quoted_key(key) + " is not an environment variable name ([A-Z][A-Z0-9_]*)");
    if (is_reserved(key))
      throw ConfigError("SECRETS_ARN", "the key " + quoted_key(key) + " cannot be set from the secret");
    if (!value.is_string())
      throw ConfigError("SECRETS_ARN", "the value of " + quoted_key(key) + " must be a string");
    if (non_empty(base(key))) {
      out.kept.emplace_back(key);
      continue;
    }
    overlay[std::string(key)] = std::string(value.as_string());
    out.taken.emplace_back(key);
  }
}

std::string credential_field(const json::object& object, std::string_view name) {
  const auto* field = object.if_contains(name);
  if (!field || !field->is_string() || field->as_string().empty())
    throw ConfigError("DATABASE_SECRET_ARN", "the secret must hold a non-empty string \"" + std::string(name) + "\"");
  return std::string(field->as_string());
}

bool unreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
         c == '_' || c == '~';
}

// Everything but unreserved characters encoded: safe in user info whatever libpq expects.
std::string percent_encoded(std::string_view text) {
  static constexpr char digits[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (unreserved(c)) {
      out.push_back(static_cast<char>(c));
      continue;
    }
    out.push_back('%');
    out.push_back(digits[c >> 4]);
    out.push_back(digits[c & 0x0f]);
  }
  return out;
}

Environment layered(const Environment& base, Overlay overlay) {
  auto values = std::make_shared<const Overlay>(std::move(overlay));
  return [base, values](std::string_view name) -> std::optional<std::string> {
    if (auto it = values->find(name); it != values->end()) return it->second;
    return base(name);
  };
}

}  // namespace

std::string with_database_credentials(const std::string& database_url, const std::string& username,
                                      const std::string& password) {
  std::string_view url = database_url;
  std::string_view scheme;
  for (std::string_view candidate : {"postgresql://", "postgres://"})
    if (url.starts_with(candidate)) scheme = candidate;
  if (scheme.empty()) throw ConfigError("DATABASE_URL", "must be a postgresql:// URL when DATABASE_SECRET_ARN is set");
  auto rest = url.substr(scheme.size());
  auto authority = rest.substr(0, rest.find_first_of("/?#"));
  auto at = authority.rfind('@');
  if (at != std::string_view::npos) {
    if (authority.substr(0, at).find(':') != std::string_view::npos)
      throw ConfigError("DATABASE_URL", "must not carry a password when DATABASE_SECRET_ARN is set");
    rest.remove_prefix(at + 1);  // the secret's user replaces the URL's
  }
  if (rest.empty() || rest.front() == '/' || rest.front() == '?')
    throw ConfigError("DATABASE_URL", "must name a host when DATABASE_SECRET_ARN is set");
  return std::string(scheme) + percent_encoded(username) + ":" + percent_encoded(password) + "@" + std::string(rest);
}

StartupSecrets load_startup_secrets(const Environment& env, clients::HttpClient& http, const Clock& clock,
                                    aws::SleepFunction sleep) {
  StartupSecrets out;
  auto app_arn = non_empty(env("SECRETS_ARN"));
  auto database_arn = non_empty(env("DATABASE_SECRET_ARN"));
  if (!app_arn && !database_arn) {
    out.environment = env;
    return out;
  }
  out.loaded = true;
  aws::SecretsManagerClient client(http, clock, options_of(env), std::move(sleep));
  Overlay overlay;
  if (app_arn) overlay_app_secret(env, fetch(client, *app_arn), overlay, out);
  if (database_arn) {
    auto secret = object_of(fetch(client, *database_arn), "DATABASE_SECRET_ARN",
                            "a JSON object with \"username\" and \"password\"");
    auto database_url = layered(env, overlay)("DATABASE_URL").value_or("");
    overlay["DATABASE_URL"] = with_database_credentials(database_url, credential_field(secret, "username"),
                                                        credential_field(secret, "password"));
    out.database_credentials = true;
  }
  out.environment = layered(env, std::move(overlay));
  return out;
}

Environment with_startup_secrets(const Environment& base, clients::HttpClient& http, const Clock& clock) {
  return load_startup_secrets(base, http, clock).environment;
}

void log_startup_secrets(const StartupSecrets& secrets, observability::Logger& log) {
  if (!secrets.loaded) return;
  json::array taken(secrets.taken.begin(), secrets.taken.end());
  json::array kept(secrets.kept.begin(), secrets.kept.end());
  log.info("startup_secrets_loaded", {{"variables", std::move(taken)},
                                      {"overridden_by_environment", std::move(kept)},
                                      {"database_credentials", secrets.database_credentials}});
}

}  // namespace mercato::app
