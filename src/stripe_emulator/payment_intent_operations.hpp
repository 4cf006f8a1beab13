#pragma once
// PaymentIntents (https://docs.stripe.com/api/payment_intents): create, retrieve, confirm with
// a test PaymentMethod, cancel. Each takes the decoded parameters and returns the answer's
// JSON, or throws StripeApiError (a decline is a 402 card_error, after the state has changed).

#include <boost/json/object.hpp>

#include <string_view>

#include "stripe_emulator/operation_context.hpp"

namespace mercato::stripe_emulator {

boost::json::object create_payment_intent(OperationContext& context, boost::json::object fields);
boost::json::object retrieve_payment_intent(OperationContext& context, std::string_view id,
                                            boost::json::object fields);
boost::json::object confirm_payment_intent(OperationContext& context, std::string_view id,
                                           boost::json::object fields);
boost::json::object cancel_payment_intent(OperationContext& context, std::string_view id,
                                          boost::json::object fields);

// The intent's JSON with `expand` applied (latest_charge, payment_method).
boost::json::object intent_json(EmulatorState& state, const PaymentIntent& intent,
                                const std::vector<std::string>& expand = {});

}  // namespace mercato::stripe_emulator
