#include "stripe_emulator/test_cards.hpp"

#include <array>

namespace mercato::stripe_emulator {

namespace {

constexpr std::string_view declined = "Your card was declined.";

constexpr std::array<TestCard, 11> cards{{
    {"pm_card_visa", "visa", "4242"},
    {"pm_card_visa_debit", "visa", "5556"},
    {"pm_card_mastercard", "mastercard", "4444"},
    {"pm_card_amex", "amex", "8431"},
    {"pm_card_chargeDeclined", "visa", "0002", CardBehaviour::declines, "card_declined", "generic_decline", declined},
    {"pm_card_chargeDeclinedInsufficientFunds", "visa", "9995", CardBehaviour::declines, "card_declined",
     "insufficient_funds", "Your card has insufficient funds."},
    {"pm_card_chargeDeclinedLostCard", "visa", "9987", CardBehaviour::declines, "card_declined", "lost_card",
     declined},
    {"pm_card_chargeDeclinedExpiredCard", "visa", "0069", CardBehaviour::declines, "expired_card", "expired_card",
     "Your card has expired."},
    {"pm_card_chargeDeclinedIncorrectCvc", "visa", "0127", CardBehaviour::declines, "incorrect_cvc",
     "incorrect_cvc", "Your card's security code is incorrect."},
    {"pm_card_chargeDeclinedProcessingError", "visa", "0119", CardBehaviour::declines, "processing_error",
     "processing_error", "An error occurred while processing your card. Try again in a little bit."},
    {"pm_card_refundFail", "visa", "5126", CardBehaviour::refund_fails},
}};

}  // namespace

const TestCard* find_test_card(std::string_view token) {
  for (const auto& card : cards)
    if (card.token == token) return &card;
  return nullptr;
}

}  // namespace mercato::stripe_emulator
