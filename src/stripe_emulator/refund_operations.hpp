#pragma once
// Refunds (https://docs.stripe.com/api/refunds) of a succeeded payment, in part or in full.
// A refund of a pm_card_refundFail payment is answered `pending` and fails at the next
// webhook delivery run (fail_pending_refunds), as Stripe's test card does some time later.

#include <boost/json/object.hpp>

#include <string_view>

#include "stripe_emulator/operation_context.hpp"

namespace mercato::stripe_emulator {

boost::json::object create_refund(OperationContext& context, boost::json::object fields);
boost::json::object retrieve_refund(OperationContext& context, std::string_view id, boost::json::object fields);

// Fails every pending refund of a refundFail payment: status failed, failure_reason
// "declined", the charge's amount_refunded restored; events refund.updated and refund.failed.
void fail_pending_refunds(OperationContext& context);

}  // namespace mercato::stripe_emulator
