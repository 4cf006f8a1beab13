#pragma once
// The emulator's endpoints: method and path to operation. Plain code over plain values, so
// the table can be read (and tested) without a socket.

#include <boost/json/object.hpp>

#include <string_view>

#include "http/request.hpp"
#include "stripe_emulator/operation_context.hpp"

namespace mercato::stripe_emulator {

// Runs the endpoint for `method` and `path` with the decoded parameters; throws
// unrecognized_url (404, like Stripe) when there is none, or what the operation throws.
boost::json::object dispatch(OperationContext& context, http::Method method, std::string_view path,
                             boost::json::object fields);

}  // namespace mercato::stripe_emulator
