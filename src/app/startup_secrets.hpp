#pragma once
// Secrets read from AWS Secrets Manager once at start, before load_config: SECRETS_ARN (a
// JSON object of variable names to values) and DATABASE_SECRET_ARN (RDS's {"username",
// "password"}, put into DATABASE_URL). Without either ARN nothing is called.

#include <stdexcept>
#include <string>
#include <vector>

#include "app/config.hpp"
#include "clients/aws/secrets_manager.hpp"
#include "clients/http_client.hpp"
#include "core/clock.hpp"
#include "observability/logger.hpp"

namespace mercato::app {

// A secret could not be read (Secrets Manager refused, or could not be reached); what()
// names the ARN and the error type, never a value. Rule violations are ConfigErrors.
class StartupSecretsError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct StartupSecrets {
  Environment environment;            // the process environment with the secrets in
  bool loaded = false;                // SECRETS_ARN or DATABASE_SECRET_ARN was set
  std::vector<std::string> taken;     // names whose values came from SECRETS_ARN
  std::vector<std::string> kept;      // names in that secret which the environment overrides
  bool database_credentials = false;  // DATABASE_URL got its user info from DATABASE_SECRET_ARN
};

// Throws ConfigError (bad names or values, missing AWS_REGION or credentials, an unusable
// DATABASE_URL) or StartupSecretsError. `sleep` is the wait between retried calls.
StartupSecrets load_startup_secrets(const Environment& base, clients::HttpClient& http, const Clock& clock,
                                    clients::aws::SleepFunction sleep = clients::aws::SecretsManagerClient::default_sleep);

// load_startup_secrets(...).environment.
Environment with_startup_secrets(const Environment& base, clients::HttpClient& http, const Clock& clock);

// One `startup_secrets_loaded` line with the variable names (never values); none when no
// ARN was set.
void log_startup_secrets(const StartupSecrets& secrets, observability::Logger& log);

// "postgresql://user:password@host/db..." from a URL without a password; both parts are
// percent-encoded. Throws ConfigError("DATABASE_URL", ...) for a URL it cannot use.
std::string with_database_credentials(const std::string& database_url, const std::string& username,
                                      const std::string& password);

}  // namespace mercato::app
