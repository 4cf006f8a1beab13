#pragma once
// Stripe-style identifiers: a type prefix and random alphanumerics ("pi_3Nk...", "req_...").

#include <cstddef>
#include <string>
#include <string_view>

#include "security/random.hpp"

namespace mercato::stripe_emulator {

inline constexpr std::size_t object_id_length = 24;
inline constexpr std::size_t request_id_length = 14;
inline constexpr std::size_t client_secret_length = 25;

// Uniform over [0-9A-Za-z] (rejection sampling, no modulo bias).
std::string random_alphanumeric(security::RandomSource& random, std::size_t length);

// prefix + object_id_length alphanumerics, e.g. new_id(random, "pi_").
std::string new_id(security::RandomSource& random, std::string_view prefix);

}  // namespace mercato::stripe_emulator
