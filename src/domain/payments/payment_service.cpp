#include "domain/payments/payment_service.hpp"

#include "core/error.hpp"
#include "core/time_format.hpp"
#include "domain/accounts/guards.hpp"
#include "domain/catalog/catalog_rules.hpp"
#include "domain/orders/order_status_change.hpp"
#include "domain/orders/order_workflow.hpp"
#include "security/digest.hpp"
#include "security/uuid.hpp"

namespace mercato::domain {

namespace {

bool is_admin(const Principal& p) { return p.role == "admin"; }

Error payment_not_found() { return Error::not_found("No such payment."); }

// The gateway's refusal as the client may see it: never the gateway's own words, which
// are for the log.
Error client_error(const GatewayError& e) {
  switch (e.kind()) {
    case GatewayError::Kind::unavailable:
    case GatewayError::Kind::rate_limited:
      return Error::unavailable("payment_gateway_unavailable",
                                "The payment provider did not answer in time; try again shortly.", e.what())
          .with_retry_after(5);
    case GatewayError::Kind::card_declined:
      return Error::conflict("card_declined", "The payment provider declined the card.");
    case GatewayError::Kind::invalid_request:
    case GatewayError::Kind::authentication: break;
  }
  return Error{ErrorKind::bad_gateway, "payment_gateway_error",
               "The payment provider refused the request; nothing was charged or refunded.", e.what()};
}

std::string intent_key(const Payment& p) { return "mercato-pi-" + p.id; }
std::string refund_key(const std::string& refund_id) { return "mercato-re-" + refund_id; }
std::string cancel_key(const Payment& p) { return "mercato-cancel-" + p.id; }

RequestContext system_context() { return RequestContext{}; }

std::optional<std::string> actor_id_of(const RequestContext& ctx) {
  return ctx.actor ? std::optional<std::string>(ctx.actor->user_id) : std::nullopt;
}

}  // namespace

std::string PaymentService::now_text() const { return format_rfc3339(clock_.now()); }

// The log is read in (created_at, id) order, and one request writes several rows: each
// row's time is at least a microsecond after the previous one's, so they read back in the
// order they happened.
std::string PaymentService::event_time() {
  auto now = std::chrono::time_point_cast<std::chrono::microseconds>(clock_.now());
  auto micros = now.time_since_epoch().count();
  auto last = last_event_micros_.load();
  while (!last_event_micros_.compare_exchange_weak(last, std::max(micros, last + 1))) {
  }
  return format_rfc3339(std::chrono::system_clock::time_point{std::chrono::microseconds{std::max(micros, last + 1)}});
}

void PaymentService::append(PaymentStore& store, const Payment& payment, PaymentEvent::Type type, PaymentEvent fields) {
  fields.id = security::uuid_v7(clock_, random_);
  fields.payment_id = payment.id;
  fields.type = type;
  fields.created_at = event_time();
  store.log().append(fields);
}

void PaymentService::set_status(PaymentStore& store, Payment& payment, PaymentStatus to, std::string detail) {
  auto from = payment.status;
  payment.status = to;
  payment.updated_at = now_text();
  store.payments().update(payment);
  PaymentEvent e;
  e.from_status = std::string(to_string(from));
  e.to_status = std::string(to_string(to));
  e.gateway_id = payment.transaction_id ? payment.transaction_id : payment.intent_id;
  e.amount = payment.amount;
  e.detail = std::move(detail);
  append(store, payment, PaymentEvent::Type::status_changed, std::move(e));
}

// ---- Initiation -------------------------------------------------------------------------

InitiatedPayment PaymentService::initiate(const RequestContext& ctx, std::string_view order_id,
                                          const std::optional<std::string>& idempotency_key) {
  const auto& actor = ctx.actor.value();
  require_verified_email(actor);
  std::optional<IdempotencyKey> key;
  IdempotencyClaim claim;
  if (idempotency_key) {
    key = IdempotencyKey{actor.user_id, "payments", *idempotency_key,
                         security::sha256_hex("POST /api/payments\n" + std::string(order_id))};
    claim = idempotency_.claim(*key);
    if (claim.completed_resource_id) {
      auto replay = record_intent(*claim.completed_resource_id, std::nullopt, std::nullopt, claim);
      replay.replayed = true;
      return replay;
    }
  }
  try {
    auto attempt = open_attempt(ctx, order_id);
    std::optional<GatewayIntent> intent;
    if (!attempt.intent_id) intent = create_intent(attempt);
    return record_intent(attempt.id, intent, key, claim);
  } catch (...) {
    if (key) idempotency_.release(*key, claim);
    throw;
  }
}

// Locks the order, so that two initiations for it run one after the other: the second
// finds the first's attempt in progress and resumes it.
Payment PaymentService::open_attempt(const RequestContext& ctx, std::string_view order_id) {
  const auto& actor = ctx.actor.value();
  Payment attempt;
  transactions_.run([&](PaymentStore& store) {
    auto order = store.order_store().orders().find_for_update(order_id);
    if (!order || order->user_id != actor.user_id) throw Error::not_found("No such order.");
    if (order->status != OrderStatus::pending)
      throw Error::conflict("order_not_payable", "Only a pending order can be paid; this one is " +
                                                     std::string(to_string(order->status)) + ".");
    if (order->total_price <= 0) throw Error::conflict("order_not_payable", "This order has nothing to pay.");
    if (auto pending = store.payments().pending_for_order(order_id)) {
      attempt = std::move(*pending);
      return;
    }
    auto now = now_text();
    Payment p;
    p.id = security::uuid_v7(clock_, random_);
    p.order_id = order->id;
    p.user_id = order->user_id;
    p.gateway = std::string(gateway_.name());
    p.amount = order->total_price;  // from the order, never from the client
    p.currency = order->currency;
    p.created_at = p.updated_at = now;
    store.payments().insert(p);
    PaymentEvent e;
    e.to_status = "pending";
    e.amount = p.amount;
    e.actor_id = actor.user_id;
    append(store, p, PaymentEvent::Type::attempt_created, std::move(e));
    store.audit().record({"payment_initiated", true, actor.user_id, order->id, ctx.ip, ctx.request_id,
                          "payment " + p.id + ", " + std::to_string(p.amount) + " " + p.currency});
    attempt = std::move(p);
  });
  return attempt;
}

GatewayIntent PaymentService::create_intent(const Payment& payment) {
  try {
    return gateway_.create_intent({payment.id, payment.order_id, payment.amount, payment.currency, intent_key(payment)});
  } catch (const GatewayError& e) {
    record_gateway_error(payment.id, "create_intent", e);
    throw client_error(e);
  }
}

// Stores a new intent (unless a racing request stored it first: the gateway gave both the
// same one, under the same idempotency key) and completes the client's key with it.
InitiatedPayment PaymentService::record_intent(const std::string& payment_id, const std::optional<GatewayIntent>& intent,
                                               const std::optional<IdempotencyKey>& key, const IdempotencyClaim& claim) {
  InitiatedPayment result;
  std::optional<std::string> sealed;
  transactions_.run([&](PaymentStore& store) {
    // The order before the payment, as open_attempt locks them: a racing initiation holds
    // the order while it waits for this payment, so taking them the other way deadlocks.
    auto unlocked = store.payments().find(payment_id);
    if (!unlocked) throw payment_not_found();
    store.order_store().orders().find_for_update(unlocked->order_id);
    auto payment = store.payments().find_for_update(payment_id);
    if (!payment) throw payment_not_found();
    if (intent && !payment->intent_id) {
      payment->intent_id = intent->id;
      payment->updated_at = now_text();
      store.payments().update(*payment);
      store.payments().store_client_secret(payment->id, cipher_.encrypt(intent->client_secret));
      record_gateway_call(store, *payment, "create_intent", intent->id, intent->amount, intent->status);
    }
    sealed = store.payments().client_secret(payment->id);
    if (key && !store.idempotency().complete(*key, claim.token, payment->id, now_text()))
      throw Error::conflict("idempotency_key_in_use", "Another request took over this Idempotency-Key.");
    result.payment = std::move(*payment);
  });
  if (sealed) result.client_secret = cipher_.decrypt(*sealed);
  return result;
}

// A call the gateway answered, in the transaction log (ids and statuses only: never a secret).
void PaymentService::record_gateway_call(PaymentStore& store, const Payment& payment, std::string_view call,
                                         const std::string& gateway_id, std::int64_t amount, const std::string& status) {
  PaymentEvent e;
  if (!gateway_id.empty()) e.gateway_id = gateway_id;
  e.amount = amount;
  e.detail = std::string(call) + ": " + status;
  append(store, payment, PaymentEvent::Type::gateway_call, std::move(e));
}

void PaymentService::record_gateway_error(const std::string& payment_id, std::string_view call, const GatewayError& error) {
  try {
    transactions_.run([&](PaymentStore& store) {
      auto payment = store.payments().find(payment_id);
      if (!payment) return;
      PaymentEvent e;
      e.gateway_id = payment->intent_id;
      e.detail = std::string(call) + ": " + (error.code().empty() ? "no answer" : error.code()) +
                 (error.retryable() ? " (retryable)" : "");
      append(store, *payment, PaymentEvent::Type::gateway_error, std::move(e));
    });
  } catch (const std::exception& e) {
    log_.error("payment_event_lost", {{"payment_id", payment_id}, {"detail", e.what()}});
  }
}

// ---- Reads ------------------------------------------------------------------------------

Payment PaymentService::get(const Principal& viewer, std::string_view id) {
  std::optional<Payment> payment;
  transactions_.read([&](PaymentStore& store) { payment = store.payments().find(id); });
  if (!payment || (!is_admin(viewer) && payment->user_id != viewer.user_id)) throw payment_not_found();
  return *payment;
}

PaymentEventPage PaymentService::events(std::string_view id, std::size_t limit,
                                        const std::optional<PaymentEventCursor>& after) {
  PaymentEventPage page;
  transactions_.read([&](PaymentStore& store) {
    if (!store.payments().find(id)) throw payment_not_found();
    page = store.log().list(id, limit, after);
  });
  return page;
}

// ---- Refunds ----------------------------------------------------------------------------

Payment PaymentService::refund(const RequestContext& ctx, std::string_view payment_id,
                               std::optional<std::int64_t> amount, const std::optional<std::string>& reason) {
  const auto& actor = ctx.actor.value();
  std::vector<FieldError> errors;
  if (amount && *amount <= 0) errors.push_back({"amount", "Must be a positive amount in minor units."});
  if (reason && utf8_length(*reason) > max_refund_reason_chars)
    errors.push_back({"reason", "At most " + std::to_string(max_refund_reason_chars) + " characters."});
  if (!errors.empty()) throw Error::validation(std::move(errors));
  Refund refund;
  std::string intent_id;
  transactions_.run([&](PaymentStore& store) {
    auto payment = store.payments().find_for_update(payment_id);
    if (!payment || (!is_admin(actor) && payment->user_id != actor.user_id)) throw payment_not_found();
    if (!is_admin(actor)) check_refund_window(store, *payment);
    refund = reserve_refund(store, ctx, *payment, amount, reason);
    intent_id = payment->intent_id.value_or("");
  });
  send_refund(ctx, refund, intent_id);
  return get(actor, payment_id);
}

void PaymentService::check_refund_window(PaymentStore& store, const Payment& payment) {
  auto order = store.order_store().orders().find(payment.order_id);
  if (!order || !order->delivered_at)
    throw Error::conflict("order_not_delivered",
                          "Refunds open when the order is delivered; until it ships, cancel the order instead.");
  auto delivered = parse_rfc3339(*order->delivered_at);
  if (!delivered || clock_.now() > *delivered + settings_.refund_window)
    throw Error::conflict("refund_window_expired", "Refunds are possible for " +
                                                       std::to_string(settings_.refund_window.count()) +
                                                       " days after delivery; ask support.");
}

// The amount is held back at once, so that refunds racing each other never give back
// more than was paid.
Refund PaymentService::reserve_refund(PaymentStore& store, const RequestContext& ctx, const Payment& payment,
                                      std::optional<std::int64_t> amount, const std::optional<std::string>& reason) {
  if (!payment.captured() || !payment.intent_id)
    throw Error::conflict("payment_not_refundable", "Only a payment that took money can be refunded.");
  auto left = payment.amount - store.refunds().reserved_amount(payment.id);
  if (left <= 0) throw Error::conflict("payment_fully_refunded", "This payment has been refunded in full.");
  if (amount && *amount > left)
    throw Error::validation({{"amount", "At most " + std::to_string(left) + " can still be refunded."}});
  auto now = now_text();
  Refund r;
  r.id = security::uuid_v7(clock_, random_);
  r.payment_id = payment.id;
  r.amount = amount.value_or(left);
  r.currency = payment.currency;
  r.reason = reason;
  r.idempotency_key = refund_key(r.id);
  r.requested_by = actor_id_of(ctx);
  r.created_at = r.updated_at = now;
  store.refunds().insert(r);
  PaymentEvent e;
  e.amount = r.amount;
  e.actor_id = r.requested_by;
  e.detail = "refund " + r.id + (reason ? ": " + *reason : "");
  append(store, payment, PaymentEvent::Type::refund_requested, std::move(e));
  store.audit().record({"refund_requested", true, r.requested_by.value_or(""), payment.order_id, ctx.ip, ctx.request_id,
                        "payment " + payment.id + ", " + std::to_string(r.amount) + " " + r.currency});
  return r;
}

void PaymentService::send_refund(const RequestContext&, const Refund& refund, const std::string& intent_id) {
  GatewayRefund result;
  try {
    result = gateway_.create_refund({refund.id, refund.payment_id, intent_id, refund.amount, refund.idempotency_key});
  } catch (const GatewayError& e) {
    record_gateway_error(refund.payment_id, "create_refund", e);
    if (e.retryable())
      throw Error::unavailable("refund_pending",
                               "The payment provider did not answer. The refund is recorded and will be retried; "
                               "the payment shows when it is done.", e.what())
          .with_retry_after(30);
    // Refused outright: the amount held back is free again.
    settle(refund.payment_id, refund.id, GatewayRefund{"", "failed", refund.amount, e.code()}, {});
    throw client_error(e);
  }
  settle(refund.payment_id, refund.id, result, "create_refund");
}

// A refund event names the refund by the gateway's id; refunds made outside Mercato (in
// Stripe's dashboard) are not ours to track and are only logged.
void PaymentService::apply_gateway_refund(PaymentStore& store, Payment& payment, const GatewayRefund& result) {
  auto refund = store.refunds().find_by_gateway_id_for_update(result.id);
  if (!refund) {
    log_.warn("refund_unknown", {{"payment_id", payment.id}, {"gateway_refund_id", result.id}});
    return;
  }
  apply_refund(store, payment, *refund, result);
}

// Moves one refund forward (never back: events arrive in any order) and keeps the
// payment's refunded amount and status in step.
void PaymentService::apply_refund(PaymentStore& store, Payment& payment, Refund& refund, const GatewayRefund& result) {
  auto status = parse_refund_status(result.status);
  if (!status) {
    log_.warn("refund_status_unknown", {{"refund_id", refund.id}, {"status", result.status}});
    return;
  }
  bool learned_id = !refund.gateway_refund_id && !result.id.empty();
  if (learned_id) refund.gateway_refund_id = result.id;
  if (rank(*status) <= rank(refund.status)) {
    if (learned_id) {
      refund.updated_at = now_text();
      store.refunds().update(refund);
    }
    return;
  }
  auto before = refund.status;
  refund.status = *status;
  refund.updated_at = now_text();
  store.refunds().update(refund);
  PaymentEvent e;
  e.from_status = std::string(to_string(before));
  e.to_status = std::string(to_string(*status));
  e.gateway_id = refund.gateway_refund_id;
  e.amount = refund.amount;
  e.detail = "refund " + refund.id + (result.failure_reason ? ": " + *result.failure_reason : "");
  append(store, payment, PaymentEvent::Type::refund_updated, std::move(e));

  if (*status == RefundStatus::succeeded) payment.amount_refunded += refund.amount;
  else if (before == RefundStatus::succeeded) payment.amount_refunded -= refund.amount;  // failed after succeeding
  payment.updated_at = now_text();
  if (payment.amount_refunded == payment.amount && payment.status != PaymentStatus::refunded)
    set_status(store, payment, PaymentStatus::refunded, "refunded in full");
  else if (payment.status == PaymentStatus::refunded && payment.amount_refunded < payment.amount)
    set_status(store, payment, PaymentStatus::completed, "a refund failed after it had succeeded");
  else
    store.payments().update(payment);
}

// Applies what the gateway said of our refund `refund_id`, payment locked before refund.
void PaymentService::settle(const std::string& payment_id, const std::string& refund_id, const GatewayRefund& result,
                            std::string_view call) {
  transactions_.run([&](PaymentStore& store) {
    auto payment = store.payments().find_for_update(payment_id);
    if (!payment) return;
    if (!call.empty()) record_gateway_call(store, *payment, call, result.id, result.amount, result.status);
    auto refund = store.refunds().find_for_update(refund_id);
    if (refund) apply_refund(store, *payment, *refund, result);
  });
}

std::size_t PaymentService::settle_refunds(std::size_t limit) {
  std::vector<Refund> unsettled;
  transactions_.read([&](PaymentStore& store) { unsettled = store.refunds().unsettled("", limit); });
  std::size_t settled = 0;
  // A refund younger than this may still have its first call in flight.
  constexpr auto settle_after = std::chrono::minutes{1};
  for (const auto& refund : unsettled) {
    auto created = parse_rfc3339(refund.created_at);
    if (created && clock_.now() - *created < settle_after) continue;
    try {
      std::optional<Payment> payment;
      transactions_.read([&](PaymentStore& store) { payment = store.payments().find(refund.payment_id); });
      if (!payment || !payment->intent_id) continue;
      auto result = refund.gateway_refund_id
                        ? gateway_.retrieve_refund(*refund.gateway_refund_id)
                        : gateway_.create_refund({refund.id, refund.payment_id, *payment->intent_id, refund.amount,
                                                  refund.idempotency_key});
      settle(refund.payment_id, refund.id, result, refund.gateway_refund_id ? "retrieve_refund" : "create_refund");
      ++settled;
    } catch (const GatewayError& e) {
      log_.warn("refund_settlement_failed", {{"refund_id", refund.id}, {"code", e.code()}, {"detail", e.what()}});
      if (!e.retryable() && !refund.gateway_refund_id)
        settle(refund.payment_id, refund.id, GatewayRefund{"", "failed", refund.amount, e.code()}, {});
    }
  }
  return settled;
}

// ---- Cancellations ----------------------------------------------------------------------

void PaymentService::order_cancelled(const Order& order, OrderStatus previous) noexcept {
  try {
    if (previous == OrderStatus::paid) refund_cancelled_order(order);
    if (previous == OrderStatus::pending) stop_open_attempt(order);
  } catch (const std::exception& e) {
    // The refund stays recorded as pending (settle_refunds retries it), or the attempt open.
    log_.error("cancellation_payment_failed", {{"order_id", order.id}, {"detail", e.what()}});
  }
}

void PaymentService::refund_cancelled_order(const Order& order) {
  std::optional<Refund> refund;
  std::string intent_id;
  auto ctx = system_context();
  bool through_gateway = false;
  transactions_.run([&](PaymentStore& store) {
    auto payment = store.payments().completed_for_order(order.id);
    through_gateway = payment.has_value();
    if (!payment || store.refunds().reserved_amount(payment->id) >= payment->amount) return;
    refund = reserve_refund(store, ctx, *payment, std::nullopt, std::string("order cancelled"));
    intent_id = payment->intent_id.value_or("");
  });
  // Marked paid by an admin without a gateway payment (paid some other way): only a
  // person can give that money back.
  if (!through_gateway)
    log_.warn("refund_owed", {{"order_id", order.id},
                              {"amount", order.total_price},
                              {"currency", order.currency},
                              {"detail", "the order was paid without a gateway payment: refund by hand"}});
  if (refund) send_refund(ctx, *refund, intent_id);
}

// The customer may still hold the intent's client secret: the gateway is asked to cancel
// it, so that it can no longer take money. If it took money meanwhile, the success webhook
// finds the order cancelled and refunds it.
void PaymentService::stop_open_attempt(const Order& order) {
  std::optional<Payment> stopped;
  transactions_.run([&](PaymentStore& store) {
    auto payment = store.payments().pending_for_order(order.id);
    if (!payment) return;
    payment->failure_code = "order_cancelled";
    payment->failure_message = "The order was cancelled.";
    set_status(store, *payment, PaymentStatus::failed, "order cancelled");
    stopped = payment;
  });
  if (!stopped || !stopped->intent_id) return;
  try {
    gateway_.cancel_intent(*stopped->intent_id, cancel_key(*stopped));
    transactions_.run([&](PaymentStore& store) {
      record_gateway_call(store, *stopped, "cancel_intent", *stopped->intent_id, stopped->amount, "canceled");
    });
  } catch (const GatewayError& e) {
    record_gateway_error(stopped->id, "cancel_intent", e);
  }
}

// ---- Webhooks ---------------------------------------------------------------------------

WebhookOutcome PaymentService::handle_webhook(const RequestContext& ctx, const PaymentGateway::HeaderLookup& header,
                                              std::string_view raw_body) {
  GatewayEvent event;
  try {
    event = gateway_.read_webhook(header, raw_body);
  } catch (const WebhookRejected& e) {
    metrics_.count(observability::BusinessMetric::webhook_failures);
    log_.warn("webhook_rejected", {{"gateway", gateway_.name()}, {"reason", e.what()}, {"request_id", ctx.request_id}});
    throw Error::invalid("invalid_signature", "The webhook signature is missing, malformed, wrong or too old.");
  }
  try {
    return apply_webhook(ctx, event, raw_body);
  } catch (...) {
    // The gateway is answered with an error and delivers the event again later.
    metrics_.count(observability::BusinessMetric::webhook_failures);
    throw;
  }
}

WebhookOutcome PaymentService::apply_webhook(const RequestContext& ctx, const GatewayEvent& event,
                                             std::string_view raw_body) {
  // Gateway reads happen before the transaction, which must not wait on the network.
  auto refreshed = event.type == GatewayEvent::Type::charge_refunded ? refreshed_refunds(event)
                                                                     : std::vector<GatewayRefund>{};
  WebhookOutcome outcome{WebhookOutcome::Result::processed, event.type_name};
  std::optional<Payment> to_refund;
  std::optional<PaymentStatus> moved_to;  // counted once the transaction commits
  transactions_.run([&](PaymentStore& store) {
    to_refund.reset();
    moved_to.reset();
    outcome.result = WebhookOutcome::Result::processed;
    if (!store.webhooks().record_once(gateway_.name(), event.id, event.type_name, cipher_.encrypt(raw_body), now_text())) {
      outcome.result = WebhookOutcome::Result::duplicate;
      return;
    }
    if (event.type == GatewayEvent::Type::other) {
      outcome.result = WebhookOutcome::Result::ignored;  // acknowledged; the log line says which
      return;
    }
    auto payment = payment_of(store, event);
    if (!payment) {
      outcome.result = WebhookOutcome::Result::ignored;
      return;
    }
    PaymentEvent e;
    e.gateway_id = event.id;
    e.detail = event.type_name;
    append(store, *payment, PaymentEvent::Type::webhook, std::move(e));
    bool refund_needed = false;
    auto before = payment->status;
    switch (event.type) {
      case GatewayEvent::Type::intent_succeeded: on_intent_succeeded(store, ctx, *payment, event, refund_needed); break;
      case GatewayEvent::Type::intent_failed:
      case GatewayEvent::Type::intent_canceled: on_intent_failed(store, *payment, event); break;
      case GatewayEvent::Type::refund_updated:
        if (event.refund) apply_gateway_refund(store, *payment, *event.refund);
        break;
      case GatewayEvent::Type::charge_refunded:
        for (const auto& refund : refreshed) apply_gateway_refund(store, *payment, refund);
        break;
      case GatewayEvent::Type::other: break;
    }
    if (refund_needed) to_refund = payment;
    if (payment->status != before) moved_to = payment->status;
  });
  if (moved_to == PaymentStatus::completed) metrics_.count(observability::BusinessMetric::payments_completed);
  if (moved_to == PaymentStatus::failed) metrics_.count(observability::BusinessMetric::payments_failed);
  log_.info("webhook_received", {{"gateway", gateway_.name()},
                                 {"event_id", event.id},
                                 {"type", event.type_name},
                                 {"outcome", outcome.result == WebhookOutcome::Result::duplicate ? "duplicate"
                                             : outcome.result == WebhookOutcome::Result::ignored ? "ignored"
                                                                                                 : "processed"}});
  if (to_refund) {
    // Money taken for an order that cannot use it (cancelled, or paid by another attempt).
    auto system = system_context();
    std::optional<Refund> refund;
    transactions_.run([&](PaymentStore& store) {
      auto payment = store.payments().find_for_update(to_refund->id);
      if (payment && store.refunds().reserved_amount(payment->id) < payment->amount)
        refund = reserve_refund(store, system, *payment, std::nullopt, std::string("charge for an order not payable"));
    });
    if (refund) {
      try {
        send_refund(system, *refund, to_refund->intent_id.value_or(""));
      } catch (const Error& e) {
        log_.error("automatic_refund_failed", {{"payment_id", to_refund->id}, {"code", e.code()}});
      }
    }
  }
  return outcome;
}

// The order is locked before the payment (as initiation does), so that the two never
// wait for each other the other way round.
std::optional<Payment> PaymentService::payment_of(PaymentStore& store, const GatewayEvent& event) {
  std::optional<Payment> found;
  if (event.intent_id) found = store.payments().find_by_intent(gateway_.name(), *event.intent_id);
  if (!found && event.payment_id && security::is_uuid(*event.payment_id)) {
    found = store.payments().find(*event.payment_id);
    if (found && found->intent_id && event.intent_id && *found->intent_id != *event.intent_id) found.reset();
  }
  if (!found) {
    log_.warn("webhook_unknown_payment", {{"event_id", event.id}, {"type", event.type_name}});
    return std::nullopt;
  }
  store.order_store().orders().find_for_update(found->order_id);
  auto locked = store.payments().find_for_update(found->id);
  if (locked && !locked->intent_id && event.intent_id) locked->intent_id = event.intent_id;
  return locked;
}

void PaymentService::on_intent_succeeded(PaymentStore& store, const RequestContext& ctx, Payment& payment,
                                         const GatewayEvent& event, bool& refund_needed) {
  if (payment.captured()) return;  // applied before
  payment.transaction_id = event.charge_id ? event.charge_id : event.intent_id;
  auto order = store.order_store().orders().find_for_update(payment.order_id);
  auto other = store.payments().completed_for_order(payment.order_id);
  bool payable = order && order->status == OrderStatus::pending && !other &&
                 transition_allowed(OrderStatus::pending, OrderStatus::paid, OrderActor::payments);
  if (!payable) {
    payment.updated_at = now_text();
    store.payments().update(payment);
    PaymentEvent e;
    e.gateway_id = payment.transaction_id;
    e.amount = payment.amount;
    e.detail = "money taken for an order that is " + std::string(order ? to_string(order->status) : "gone") +
               (other ? " and paid by payment " + other->id : "") + ": refunding";
    append(store, payment, PaymentEvent::Type::webhook, std::move(e));
    refund_needed = true;
    return;
  }
  payment.failure_code.reset();
  payment.failure_message.reset();
  set_status(store, payment, PaymentStatus::completed, "payment succeeded");
  apply_status_change(store.order_store(), *order, OrderStatus::paid, RequestContext{ctx.ip, ctx.request_id, std::nullopt},
                      clock_, random_);
}

// Only an attempt in progress fails: a late failure after a success changes nothing.
void PaymentService::on_intent_failed(PaymentStore& store, Payment& payment, const GatewayEvent& event) {
  if (payment.status != PaymentStatus::pending) return;
  payment.failure_code = event.failure_code.value_or(event.type == GatewayEvent::Type::intent_canceled ? "canceled"
                                                                                                      : "failed");
  payment.failure_message = event.failure_message;
  if (payment.failure_message && payment.failure_message->size() > 500) payment.failure_message->resize(500);
  set_status(store, payment, PaymentStatus::failed, "payment failed: " + *payment.failure_code);
}

std::vector<GatewayRefund> PaymentService::refreshed_refunds(const GatewayEvent& event) {
  std::vector<GatewayRefund> refreshed;
  if (!event.intent_id) return refreshed;
  std::vector<Refund> unsettled;
  transactions_.read([&](PaymentStore& store) {
    auto payment = store.payments().find_by_intent(gateway_.name(), *event.intent_id);
    if (payment) unsettled = store.refunds().unsettled(payment->id, 100);
  });
  for (const auto& refund : unsettled) {
    if (!refund.gateway_refund_id) continue;
    try {
      refreshed.push_back(gateway_.retrieve_refund(*refund.gateway_refund_id));
    } catch (const GatewayError& e) {
      log_.warn("refund_refresh_failed", {{"refund_id", refund.id}, {"code", e.code()}});
    }
  }
  return refreshed;
}

}  // namespace mercato::domain
