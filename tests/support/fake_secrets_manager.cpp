#include "support/fake_secrets_manager.hpp"

#include <boost/json.hpp>
#include <regex>

namespace mercato::testing {

namespace {

namespace json = boost::json;

http::Response json_response(int status, const json::object& body) {
  http::Response response;
  response.status = status;
  response.headers.set("Content-Type", "application/x-amz-json-1.1");
  response.body = json::serialize(body);
  return response;
}

}  // namespace

FakeSecretsManager::FakeSecretsManager(std::string access_key_id, std::string region)
    : access_key_id_(std::move(access_key_id)), region_(std::move(region)) {
  http::ServerOptions options;
  options.address = "127.0.0.1";
  options.port = 0;
  options.shutdown_grace = std::chrono::milliseconds{200};
  server_ = std::make_unique<http::Server>(options, [this](http::Request& r) { return handle(r); }, workers_, log_);
  server_->start();
}

FakeSecretsManager::~FakeSecretsManager() {
  server_->stop();
  server_.reset();
  workers_.stop();
}

std::string FakeSecretsManager::endpoint() const { return "http://127.0.0.1:" + std::to_string(server_->port()); }

void FakeSecretsManager::put(std::string secret_id, std::string secret_string) {
  std::lock_guard lock(mutex_);
  secrets_[std::move(secret_id)] = std::move(secret_string);
}

std::size_t FakeSecretsManager::answered() const {
  std::lock_guard lock(mutex_);
  return answered_;
}

std::size_t FakeSecretsManager::refused() const {
  std::lock_guard lock(mutex_);
  return refused_;
}

http::Response FakeSecretsManager::refuse(int status, const std::string& type) {
  {
    std::lock_guard lock(mutex_);
    ++refused_;
  }
  return json_response(status, {{"__type", type}, {"Message", "refused by the fake Secrets Manager"}});
}

http::Response FakeSecretsManager::handle(http::Request& request) {
  if (request.method != http::Method::post || request.path != "/") return refuse(404, "UnknownOperationException");
  if (request.headers.get("X-Amz-Target").value_or("") != "secretsmanager.GetSecretValue")
    return refuse(400, "UnknownOperationException");
  // The scope names this key, a date, this region and the service; the signature itself
  // is checked against AWS's vectors in the unit tests.
  std::regex scope("AWS4-HMAC-SHA256 Credential=" + access_key_id_ + "/[0-9]{8}/" + region_ +
                   "/secretsmanager/aws4_request, SignedHeaders=[a-z0-9;-]*x-amz-target[a-z0-9;-]*, "
                   "Signature=[0-9a-f]{64}");
  if (!std::regex_match(std::string(request.headers.get("Authorization").value_or("")), scope) ||
      !request.headers.get("X-Amz-Date"))
    return refuse(400, "IncompleteSignatureException");

  boost::system::error_code ec;
  auto body = json::parse(request.body, ec);
  const auto* id = !ec && body.is_object() ? body.as_object().if_contains("SecretId") : nullptr;
  if (!id || !id->is_string()) return refuse(400, "InvalidParameterException");
  std::string secret_id(id->as_string());
  std::lock_guard lock(mutex_);
  auto it = secrets_.find(secret_id);
  if (it == secrets_.end())
    return json_response(400, {{"__type", "ResourceNotFoundException"},
                               {"Message", "Secrets Manager can't find the specified secret."}});
  ++answered_;
  return json_response(200, {{"ARN", secret_id}, {"Name", secret_id}, {"SecretString", it->second},
                             {"VersionId", "00000000-0000-0000-0000-000000000001"},
                             {"VersionStages", json::array{"AWSCURRENT"}}});
}

}  // namespace mercato::testing
