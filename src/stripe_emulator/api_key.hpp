#pragma once
// The secret key of a request (https://docs.stripe.com/api/authentication): Bearer, or HTTP
// Basic with the key as the user name (what `curl -u sk_test_...:` sends). Only test-mode
// secret keys are accepted: an emulator must never look like it takes live keys.

#include <string>

#include "http/headers.hpp"

namespace mercato::stripe_emulator {

// Returns the key; throws missing_api_key or invalid_api_key (401).
std::string authenticate(const http::Headers& headers);

}  // namespace mercato::stripe_emulator
