#pragma once
// Everything the emulator remembers, in memory. Not thread-safe by itself: StripeEmulator
// holds one mutex around every use, so each request sees and leaves a consistent state.

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "stripe_emulator/idempotency_cache.hpp"
#include "stripe_emulator/stripe_errors.hpp"
#include "stripe_emulator/stripe_objects.hpp"

namespace mercato::stripe_emulator {

// An event as it was created: `payload` is the exact JSON that webhooks carry and
// GET /v1/events/:id returns.
struct StoredEvent {
  std::string id;
  std::string type;
  std::string payload;
};

template <class T>
using ObjectMap = std::map<std::string, T, std::less<>>;

struct EmulatorState {
  ObjectMap<PaymentMethod> payment_methods;
  ObjectMap<PaymentIntent> payment_intents;
  ObjectMap<Charge> charges;
  ObjectMap<Refund> refunds;
  ObjectMap<StoredEvent> events;
  std::vector<std::string> event_order;  // every event id, oldest first
  // Refunds of pm_card_refundFail payments, pending until the next webhook delivery run.
  std::vector<std::string> refunds_to_fail;
  // Events created since the emulator last handed them to webhook delivery, in order.
  std::vector<std::string> unpublished_events;
  IdempotencyCache idempotency;
};

// The object under `id`, or resource_missing ("No such <object_name>: 'id'", param `param`):
// 404 when the URL names it, 400 when a parameter does.
template <class T>
T& find_object(ObjectMap<T>& objects, std::string_view id, std::string_view object_name, std::string_view param,
               int status = 404) {
  auto it = objects.find(id);
  if (it == objects.end()) throw resource_missing(object_name, param, id, status);
  return it->second;
}

}  // namespace mercato::stripe_emulator
