#pragma once
// `mercato stripe-emulator`: serves the Stripe test-mode emulator (docs/stripe-emulator.md).
// It reads only its own flags and variables, never Mercato's configuration or database.

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "app/config.hpp"

namespace mercato::app {

struct StripeEmulatorSettings {
  std::string bind_address = "127.0.0.1";
  std::uint16_t port = 12111;
  std::string webhook_url;
  std::string webhook_secret;
  bool help = false;
};

// A bad flag or value: what() is the one line to print.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// args as main() got them ("mercato", "stripe-emulator", flags...). Flags win over
// STRIPE_EMULATOR_PORT, STRIPE_WEBHOOK_URL and STRIPE_WEBHOOK_SECRET. Throws UsageError.
StripeEmulatorSettings parse_stripe_emulator_args(const std::vector<std::string>& args, const Environment& env);

// Serves until SIGINT/SIGTERM. Exit code: 0 after a signal, 1 when it cannot serve, 2 for bad usage.
int run_stripe_emulator(const std::vector<std::string>& args, const Environment& env);

}  // namespace mercato::app
