#pragma once
// Stripe's test PaymentMethods (https://docs.stripe.com/testing#cards): the `pm_card_*`
// names a client may confirm with, and what each one does.

#include <string_view>

namespace mercato::stripe_emulator {

enum class CardBehaviour {
  succeeds,
  declines,      // the confirmation fails with a card_error
  refund_fails,  // the payment succeeds; every refund of it ends `failed`
};

struct TestCard {
  std::string_view token;  // "pm_card_visa"
  std::string_view brand;  // "visa", "mastercard", "amex"
  std::string_view last4;
  CardBehaviour behaviour = CardBehaviour::succeeds;
  // For declines: Stripe's code, decline_code and message.
  std::string_view code{};
  std::string_view decline_code{};
  std::string_view message{};
};

// nullptr when `token` is not one of the test PaymentMethods.
const TestCard* find_test_card(std::string_view token);

}  // namespace mercato::stripe_emulator
