#include "clients/aws/secrets_manager.hpp"

#include <array>
#include <boost/json.hpp>
#include <thread>

namespace mercato::clients::aws {

namespace {

namespace json = boost::json;

constexpr std::array<std::chrono::milliseconds, 2> retry_backoff{std::chrono::milliseconds{100},
                                                                 std::chrono::milliseconds{300}};

// "com.amazonaws.secretsmanager#ResourceNotFoundException:http://..." → the bare name, as
// the awsJson1_1 protocol allows either form of `__type`.
std::string bare_error_type(std::string_view type) {
  if (auto hash = type.rfind('#'); hash != std::string_view::npos) type.remove_prefix(hash + 1);
  if (auto colon = type.find(':'); colon != std::string_view::npos) type = type.substr(0, colon);
  return std::string(type);
}

std::string string_field(const json::value& document, std::string_view name) {
  const auto* object = document.if_object();
  if (!object) return {};
  const auto* field = object->if_contains(name);
  return field && field->is_string() ? std::string(field->as_string()) : std::string{};
}

json::value parse_or_null(const std::string& body) {
  boost::system::error_code ec;
  auto document = json::parse(body, ec);
  return ec ? json::value{} : document;
}

// AWS's own Message explains refusals (which permission, which key); it never carries a
// secret value, but it is capped so that a strange answer cannot flood the log.
SecretsManagerError error_of(const HttpReply& reply, const std::string& secret_id) {
  auto document = parse_or_null(reply.body);
  auto type = bare_error_type(string_field(document, "__type"));
  if (type.empty()) type = "HTTP " + std::to_string(reply.status);
  auto message = string_field(document, "Message");
  if (message.empty()) message = string_field(document, "message");
  if (message.size() > 300) message = message.substr(0, 300) + "...";
  std::string what = "Secrets Manager GetSecretValue of " + secret_id + " failed: " + type + " (HTTP " +
                     std::to_string(reply.status) + ")";
  if (!message.empty()) what += ": " + message;
  return SecretsManagerError(type, reply.status, what);
}

}  // namespace

std::string secrets_manager_endpoint(const std::string& region) {
  return "https://secretsmanager." + region + ".amazonaws.com";
}

SecretsManagerClient::SecretsManagerClient(HttpClient& http, const Clock& clock, SecretsManagerOptions options,
                                           SleepFunction sleep)
    : http_(http), clock_(clock), options_(std::move(options)), sleep_(std::move(sleep)) {
  if (options_.endpoint.empty()) options_.endpoint = secrets_manager_endpoint(options_.region);
  while (!options_.endpoint.empty() && options_.endpoint.back() == '/') options_.endpoint.pop_back();
}

void SecretsManagerClient::default_sleep(std::chrono::milliseconds duration) { std::this_thread::sleep_for(duration); }

std::string SecretsManagerClient::get_secret_string(const std::string& secret_id) {
  auto reply = send_signed(json::serialize(json::object{{"SecretId", secret_id}}));
  if (reply.status != 200) throw error_of(reply, secret_id);
  auto document = parse_or_null(reply.body);
  const auto* object = document.if_object();
  const auto* secret = object ? object->if_contains("SecretString") : nullptr;
  if (!secret || !secret->is_string())
    throw SecretsManagerError("NoSecretString", reply.status,
                              "Secrets Manager GetSecretValue of " + secret_id +
                                  " answered no SecretString (a binary secret, or not JSON)");
  return std::string(secret->as_string());
}

// Signed afresh for every attempt: the signature carries the time.
HttpReply SecretsManagerClient::send_signed(const std::string& body) {
  for (std::size_t attempt = 0;; ++attempt) {
    HttpCall call;
    call.method = "POST";
    call.url = options_.endpoint + "/";
    call.headers = {{"Content-Type", "application/x-amz-json-1.1"},
                    {"X-Amz-Target", "secretsmanager.GetSecretValue"}};
    call.body = body;
    call.connect_timeout = std::chrono::seconds{3};
    call.total_timeout = std::chrono::seconds{5};
    sign(call, options_.credentials, {options_.region, "secretsmanager"}, clock_);
    try {
      return http_.send(call);
    } catch (const HttpTransportError&) {
      if (attempt >= retry_backoff.size()) throw;
      sleep_(retry_backoff[attempt]);
    }
  }
}

}  // namespace mercato::clients::aws
