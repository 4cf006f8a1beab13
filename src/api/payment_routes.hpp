#pragma once
// /api/payments: initiation, reads, the transaction log, refunds and the gateway's webhook.

#include "domain/payments/payment_service.hpp"
#include "http/router.hpp"

namespace mercato::api {

void add_payment_routes(http::Router& router, domain::PaymentService& payments);

}  // namespace mercato::api
