#pragma once
// A Secrets Manager for tests: GetSecretValue over HTTP on 127.0.0.1:<port>, answering
// SecretString by SecretId. It refuses calls that lack the X-Amz-Target or a SigV4
// Authorization with the expected credential scope, as AWS would. Point the real binary
// at it with AWS_ENDPOINT_URL_SECRETS_MANAGER=endpoint().

#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>

#include "core/clock.hpp"
#include "core/worker_pool.hpp"
#include "http/server/server.hpp"
#include "observability/logger.hpp"

namespace mercato::testing {

class FakeSecretsManager {
 public:
  // Calls must be signed for `access_key_id` in `region`.
  FakeSecretsManager(std::string access_key_id, std::string region);
  ~FakeSecretsManager();

  std::string endpoint() const;  // "http://127.0.0.1:<port>"
  void put(std::string secret_id, std::string secret_string);
  std::size_t answered() const;  // GetSecretValue calls answered with a secret
  std::size_t refused() const;   // calls refused for their shape or signature

 private:
  http::Response handle(http::Request& request);
  http::Response refuse(int status, const std::string& type);

  std::string access_key_id_;
  std::string region_;
  mutable std::mutex mutex_;
  std::map<std::string, std::string> secrets_;
  std::size_t answered_ = 0;
  std::size_t refused_ = 0;
  SystemClock clock_;
  std::ostringstream log_sink_;
  observability::Logger log_{log_sink_, observability::LogLevel::error, clock_};
  WorkerPool workers_{2, 16};
  std::unique_ptr<http::Server> server_;
};

}  // namespace mercato::testing
