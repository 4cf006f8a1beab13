#include "stripe_emulator/stripe_emulator.hpp"

#include <boost/json/serialize.hpp>

#include <cctype>

#include "security/digest.hpp"
#include "stripe_emulator/api_key.hpp"
#include "stripe_emulator/emulator_routes.hpp"
#include "stripe_emulator/events.hpp"
#include "stripe_emulator/form_body.hpp"
#include "stripe_emulator/refund_operations.hpp"
#include "stripe_emulator/stripe_errors.hpp"
#include "stripe_emulator/stripe_ids.hpp"

namespace mercato::stripe_emulator {

namespace {

// "2024-06-20", optionally with a release name ("2024-09-30.acacia").
bool is_api_version(std::string_view text) {
  if (text.size() < 10 || text.size() > 40) return false;
  for (std::size_t i = 0; i < 10; ++i) {
    bool dash = i == 4 || i == 7;
    if (dash ? text[i] != '-' : !std::isdigit(static_cast<unsigned char>(text[i]))) return false;
  }
  if (text.size() == 10) return true;
  if (text[10] != '.' || text.size() == 11) return false;
  for (auto c : text.substr(11))
    if (!std::islower(static_cast<unsigned char>(c)) && c != '_') return false;
  return true;
}

bool is_form_content_type(std::string_view value) {
  auto media_type = value.substr(0, value.find(';'));
  while (!media_type.empty() && media_type.back() == ' ') media_type.remove_suffix(1);
  return http::iequals(media_type, "application/x-www-form-urlencoded");
}

FormFields post_fields(const http::Request& request) {
  if (request.body.empty()) return {};
  auto content_type = request.headers.get("Content-Type").value_or("");
  if (!is_form_content_type(content_type))
    throw malformed_body("the request body must be application/x-www-form-urlencoded (Content-Type: " +
                         std::string(content_type.empty() ? "none" : content_type) + "), as Stripe's libraries send it.");
  try {
    return split_form(request.body);
  } catch (const FormError& e) {
    throw malformed_body(e.what());
  }
}

boost::json::object nest(const FormFields& fields) {
  try {
    return nest_form(fields);
  } catch (const FormError& e) {
    throw malformed_body(e.what());
  }
}

std::string query_of(const http::Request& request) {
  auto question = request.target.find('?');
  return question == std::string::npos ? std::string{} : request.target.substr(question + 1);
}

std::optional<std::string> idempotency_key(const http::Request& request) {
  auto key = request.headers.get("Idempotency-Key");
  if (!key) return std::nullopt;
  if (key->empty() || key->size() > max_idempotency_key_length)
    throw invalid_request(400,
                          "Invalid Idempotency-Key: it must be between 1 and " +
                              std::to_string(max_idempotency_key_length) + " characters long.",
                          {}, {}, ErrorPhase::validation);
  return std::string(*key);
}

}  // namespace

StripeEmulator::StripeEmulator(EmulatorOptions options, clients::HttpClient& webhook_client, const Clock& clock,
                               security::RandomSource& random, observability::Logger& log)
    : options_(std::move(options)),
      clock_(clock),
      random_(random),
      log_(log),
      webhooks_(WebhookEndpoint{options_.webhook_url, options_.webhook_secret, options_.retry_delays}, webhook_client,
                clock, log),
      delivery_thread_(
          [this] {
            deliver_due();
            return webhooks_.next_due();
          },
          clock, log) {}

StripeEmulator::~StripeEmulator() { stop(); }

void StripeEmulator::start() {
  if (options_.deliver_in_background) delivery_thread_.start();
}

void StripeEmulator::stop() { delivery_thread_.stop(); }

std::size_t StripeEmulator::pending_webhooks() const { return webhooks_.pending(); }

std::size_t StripeEmulator::deliver_due() {
  {
    std::lock_guard lock(mutex_);
    OperationContext context{state_, clock_, random_, std::nullopt, webhook_endpoints()};
    fail_pending_refunds(context);
    publish_events();
  }
  return webhooks_.deliver_due();
}

void StripeEmulator::publish_events() {
  if (state_.unpublished_events.empty()) return;
  for (const auto& id : state_.unpublished_events) {
    const auto& event = state_.events.at(id);
    webhooks_.enqueue(event.id, event.type, event.payload);
  }
  state_.unpublished_events.clear();
  delivery_thread_.wake();
}

std::string StripeEmulator::next_request_id() {
  std::lock_guard lock(mutex_);
  return "req_" + random_alphanumeric(random_, request_id_length);
}

http::Response StripeEmulator::handle(http::Request& request) {
  auto request_id = next_request_id();
  auto requested_version = request.headers.get("Stripe-Version");
  bool version_ok = !requested_version || is_api_version(*requested_version);
  Answer result;
  try {
    if (!version_ok)
      throw invalid_request(400, "Invalid Stripe API version: " + std::string(*requested_version), {}, {},
                            ErrorPhase::validation);
    result = route(request, request_id);
  } catch (const StripeApiError& e) {
    result = {e.status(), boost::json::serialize(e.body()), std::nullopt};
  } catch (const std::exception& e) {
    log_.error("stripe_emulator_internal_error", {{"request_id", request_id}, {"detail", e.what()}});
    result = {500, boost::json::serialize(internal_error().body()), std::nullopt};
  }
  http::Response response{result.status, {}, std::move(result.body), false};
  response.headers.set("Content-Type", "application/json");
  response.headers.set("Request-Id", request_id);
  response.headers.set("Stripe-Version",
                       std::string(version_ok && requested_version ? *requested_version : emulator_api_version));
  if (result.replay_of) {
    response.headers.set("Idempotent-Replayed", "true");
    response.headers.set("Original-Request", *result.replay_of);
  }
  log_.info("stripe_emulator_request", {{"method", http::to_string(request.method)},
                                        {"path", request.path},
                                        {"status", response.status},
                                        {"request_id", request_id},
                                        {"replayed", result.replay_of.has_value()}});
  return response;
}

StripeEmulator::Answer StripeEmulator::route(http::Request& request, const std::string& request_id) {
  auto api_key = authenticate(request.headers);
  if (request.method == http::Method::post) return run_post(request, api_key, request_id);
  return run_read(request, request_id);
}

StripeEmulator::Answer StripeEmulator::run_read(http::Request& request, const std::string& request_id) {
  boost::json::object fields;
  try {
    fields = decode_form(query_of(request));
  } catch (const FormError& e) {
    throw malformed_body(e.what());
  }
  std::lock_guard lock(mutex_);
  OperationContext context{state_, clock_, random_, RequestOrigin{request_id, std::nullopt}, webhook_endpoints()};
  return {200, boost::json::serialize(dispatch(context, request.method, request.path, std::move(fields))),
          std::nullopt};
}

StripeEmulator::Answer StripeEmulator::run_post(http::Request& request, const std::string& api_key,
                                                const std::string& request_id) {
  auto fields = post_fields(request);
  auto params = nest(fields);
  auto key = idempotency_key(request);
  auto scope = security::sha256_hex(api_key);  // keys are per secret key; the key itself is not kept
  auto fingerprint = request_fingerprint("POST", request.path, fields);

  // Held for the whole request: a second request with the same key waits and then replays,
  // so no key ever makes two objects.
  std::lock_guard lock(mutex_);
  if (key) {
    auto found = state_.idempotency.find(scope, *key, fingerprint, clock_.now());
    if (found.answer && !found.same_request) throw idempotency_key_mismatch(*key);
    if (found.answer) return {found.answer->status, found.answer->body, found.answer->request_id};
  }
  OperationContext context{state_, clock_, random_, RequestOrigin{request_id, key}, webhook_endpoints()};
  Answer result;
  bool keep = true;
  try {
    result = {200, boost::json::serialize(dispatch(context, request.method, request.path, std::move(params))),
              std::nullopt};
  } catch (const StripeApiError& e) {
    result = {e.status(), boost::json::serialize(e.body()), std::nullopt};
    keep = e.phase() == ErrorPhase::execution;
  } catch (...) {
    publish_events();
    throw;
  }
  if (key && keep && result.status < 500)
    state_.idempotency.save(scope, *key, fingerprint, SavedAnswer{result.status, result.body, request_id},
                            clock_.now());
  publish_events();
  return result;
}

}  // namespace mercato::stripe_emulator
