#pragma once
// What an emulator operation works with: the locked state, time, randomness and where the
// change came from (for the events it records).

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "core/clock.hpp"
#include "security/random.hpp"
#include "stripe_emulator/emulator_state.hpp"

namespace mercato::stripe_emulator {

// The API request that caused a change; events show it as their `request`.
struct RequestOrigin {
  std::string request_id;
  std::optional<std::string> idempotency_key;
};

struct OperationContext {
  EmulatorState& state;  // locked by the caller
  const Clock& clock;
  security::RandomSource& random;
  std::optional<RequestOrigin> origin;  // nullopt for changes the emulator makes by itself
  int webhook_endpoints = 0;            // events' pending_webhooks

  std::int64_t now_seconds() const {
    return std::chrono::duration_cast<std::chrono::seconds>(clock.now().time_since_epoch()).count();
  }
};

}  // namespace mercato::stripe_emulator
