#pragma once
// Secrets Manager's GetSecretValue over HttpClient and SigV4: the one AWS call the server
// makes at start (see app/startup_secrets.hpp). No AWS SDK: it is not in Debian.

#include <chrono>
#include <functional>
#include <stdexcept>
#include <string>

#include "clients/aws/sigv4.hpp"
#include "clients/http_client.hpp"
#include "core/clock.hpp"

namespace mercato::clients::aws {

struct SecretsManagerOptions {
  std::string region;
  // "https://secretsmanager.<region>.amazonaws.com" unless overridden
  // (app/startup_secrets reads AWS_ENDPOINT_URL_SECRETS_MANAGER, then AWS_ENDPOINT_URL).
  std::string endpoint;
  Credentials credentials;
};

// The default endpoint of a region.
std::string secrets_manager_endpoint(const std::string& region);

// Secrets Manager answered with an error, or an answer without a SecretString. The message
// names the error type and the secret id, never a secret value.
class SecretsManagerError : public std::runtime_error {
 public:
  SecretsManagerError(std::string error_type, long status, const std::string& message)
      : std::runtime_error(message), error_type_(std::move(error_type)), status_(status) {}
  const std::string& error_type() const noexcept { return error_type_; }
  long status() const noexcept { return status_; }

 private:
  std::string error_type_;
  long status_;
};

using SleepFunction = std::function<void(std::chrono::milliseconds)>;

class SecretsManagerClient {
 public:
  // `sleep` waits between attempts after a transport error (tests record instead).
  SecretsManagerClient(HttpClient& http, const Clock& clock, SecretsManagerOptions options,
                       SleepFunction sleep = default_sleep);

  // The SecretString of the secret's current version. A transport error is retried twice
  // (backoff 100 ms, then 300 ms), then thrown as HttpTransportError; an error answer
  // throws SecretsManagerError at once.
  std::string get_secret_string(const std::string& secret_id);

  static void default_sleep(std::chrono::milliseconds duration);

 private:
  HttpReply send_signed(const std::string& body);

  HttpClient& http_;
  const Clock& clock_;
  SecretsManagerOptions options_;
  SleepFunction sleep_;
};

}  // namespace mercato::clients::aws
