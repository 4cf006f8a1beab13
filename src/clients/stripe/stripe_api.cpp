#include "clients/stripe/stripe_api.hpp"

#include <optional>
#include <stdexcept>
#include <thread>

#include "clients/stripe/json_fields.hpp"
#include "clients/stripe/retry_policy.hpp"
#include "clients/stripe/stripe_error.hpp"

namespace mercato::clients::stripe {

namespace {

using Kind = domain::GatewayError::Kind;

constexpr std::size_t max_idempotency_key = 255;  // Stripe's limit

// Header values go to libcurl as "Name: value" lines: a control character would start a
// header of its own.
bool is_header_safe(std::string_view value) noexcept {
  for (unsigned char c : value)
    if (c < 0x20 || c == 0x7f) return false;
  return true;
}

bool is_visible_ascii(std::string_view value) noexcept {
  for (unsigned char c : value)
    if (c <= 0x20 || c >= 0x7f) return false;
  return true;
}

StripeOptions checked(StripeOptions options) {
  while (options.api_base.ends_with('/')) options.api_base.pop_back();
  if (!options.api_base.starts_with("https://") && !options.api_base.starts_with("http://"))
    throw std::invalid_argument("stripe: the API base must be an http(s) URL");
  if (options.secret_key.empty() || !is_visible_ascii(options.secret_key))
    throw std::invalid_argument("stripe: the secret key is missing or has characters a header cannot carry");
  if (options.api_version.empty() || !is_header_safe(options.api_version))
    throw std::invalid_argument("stripe: bad API version");
  if (options.max_attempts < 1) throw std::invalid_argument("stripe: max_attempts must be at least 1");
  if (options.connect_timeout.count() <= 0 || options.call_timeout.count() <= 0 || options.first_backoff.count() < 0)
    throw std::invalid_argument("stripe: timeouts must be positive and the backoff not negative");
  return options;
}

bool is_success(long status) noexcept { return status >= 200 && status < 300; }

}  // namespace

void thread_sleep(std::chrono::milliseconds duration) { std::this_thread::sleep_for(duration); }

StripeApi::StripeApi(StripeOptions options, HttpClient& http, const Clock& clock, security::RandomSource& random,
                     observability::Logger& log, SleepFunction sleep)
    : options_(checked(std::move(options))),
      http_(http),
      clock_(clock),
      random_(random),
      log_(log),
      sleep_(sleep ? std::move(sleep) : SleepFunction(thread_sleep)) {}

HttpCall StripeApi::build(const ApiRequest& request) const {
  HttpCall call;
  call.method = request.method;
  call.url = options_.api_base + request.path;
  call.connect_timeout = options_.connect_timeout;
  call.total_timeout = options_.call_timeout;
  call.headers = {{"Authorization", "Bearer " + options_.secret_key},
                  {"Stripe-Version", options_.api_version},
                  {"User-Agent", std::string("Mercato/") + MERCATO_VERSION},
                  {"Accept", "application/json"}};
  if (request.method == "POST") {
    call.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
    // The same key on every attempt: Stripe answers a repeat with the first outcome.
    call.headers.emplace_back("Idempotency-Key", request.idempotency_key);
    call.body = form_encode(request.fields);
  }
  return call;
}

boost::json::object StripeApi::call(const ApiRequest& request) {
  if (request.method == "POST" &&
      (request.idempotency_key.empty() || request.idempotency_key.size() > max_idempotency_key ||
       !is_visible_ascii(request.idempotency_key)))
    throw domain::GatewayError(Kind::invalid_request, "",
                               "stripe: an Idempotency-Key must be 1 to 255 visible ASCII characters");
  auto http_call = build(request);
  for (int attempt = 1;; ++attempt) {
    const bool last = attempt >= options_.max_attempts;
    auto started = clock_.now();
    std::optional<HttpReply> reply;
    std::string transport_error;
    try {
      reply = http_.send(http_call);
    } catch (const HttpTransportError& e) {
      transport_error = e.what();  // libcurl's words only: no URL, no body
    }
    log_attempt(request, attempt, started, reply ? &*reply : nullptr, transport_error);
    if (reply && is_success(reply->status)) return read_success(request, *reply);
    // No answer at all: the call may have reached Stripe, and the key makes a repeat safe.
    const bool temporary = !reply || worth_retrying(*reply);
    if (temporary && !last) {
      sleep_(backoff_delay(attempt, options_.first_backoff, random_));
      continue;
    }
    if (!reply)
      throw domain::GatewayError(Kind::unavailable, "",
                                 "stripe: " + transport_error + " (" + std::to_string(attempt) + " attempts)");
    throw error_from_reply(*reply, temporary, options_.secret_key);
  }
}

boost::json::object StripeApi::read_success(const ApiRequest& request, const HttpReply& reply) const {
  auto object = parse_object(reply.body);
  // A 2xx we cannot read leaves the outcome unknown: the caller may ask again.
  if (!object)
    throw domain::GatewayError(Kind::unavailable, "",
                               "stripe: HTTP " + std::to_string(reply.status) + " to " + request.method + " " +
                                   request.path + " is not a JSON object");
  return std::move(*object);
}

void StripeApi::log_attempt(const ApiRequest& request, int attempt, std::chrono::system_clock::time_point started,
                            const HttpReply* reply, std::string_view transport_error) {
  auto duration = std::chrono::duration_cast<std::chrono::milliseconds>(clock_.now() - started);
  boost::json::object fields{
      {"method", request.method}, {"path", request.path}, {"attempt", attempt}, {"duration_ms", duration.count()}};
  if (reply) {
    fields["status"] = reply->status;
    if (auto id = reply->header("Request-Id")) fields["request_id"] = *id;
  } else {
    fields["error"] = transport_error;
  }
  if (!request.idempotency_key.empty()) fields["idempotency_key"] = request.idempotency_key;
  auto level = reply && is_success(reply->status) ? observability::LogLevel::info : observability::LogLevel::warn;
  log_.log(level, "stripe_call", std::move(fields));
}

}  // namespace mercato::clients::stripe
