#pragma once
// Amounts as Stripe's messages print them: "$10.00", "€5.50", "¥500", "CHF 12.00".

#include <cstdint>
#include <string>
#include <string_view>

namespace mercato::stripe_emulator {

// Stripe's zero-decimal currencies (https://docs.stripe.com/currencies#zero-decimal).
bool is_zero_decimal(std::string_view currency);

std::string format_amount(std::int64_t minor_units, std::string_view currency);

}  // namespace mercato::stripe_emulator
