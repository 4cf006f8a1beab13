#pragma once
// /api/orders/events (Server-Sent Events) and the tickets that open it from a browser.

#include "domain/accounts/stream_ticket_service.hpp"
#include "domain/orders/order_event_hub.hpp"
#include "domain/orders/order_service.hpp"
#include "http/router.hpp"

namespace mercato::api {

struct OrderEventRouteParts {
  domain::OrderService& orders;
  domain::OrderEventHub& hub;
  domain::StreamTicketService& tickets;
  // False where responses cannot stream (AWS Lambda behind API Gateway buffers every
  // answer): the stream and its tickets answer 501 `streaming_unavailable` instead.
  bool streaming_available = true;
};

void add_order_event_routes(http::Router& router, OrderEventRouteParts parts);

}  // namespace mercato::api
