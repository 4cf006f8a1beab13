#include "api/order_event_routes.hpp"

#include <charconv>

#include "api/order_event_relay.hpp"
#include "http/json.hpp"

namespace mercato::api {

namespace {

using http::Request;
using http::Response;

// What one stream's buffer holds (events are ~220 bytes); a client that missed more is
// told to refetch instead.
constexpr std::size_t max_replayed_events = 200;
constexpr std::size_t stream_buffer_bytes = 128 * std::size_t{1024};
constexpr std::string_view reconnect_hint = "retry: 3000\n\n";  // EventSource waits this long (ms)

// Unsubscribes unless the stream took over that duty.
class SubscriptionGuard {
 public:
  SubscriptionGuard(domain::OrderEventHub& hub, std::uint64_t id) : hub_(hub), id_(id) {}
  SubscriptionGuard(const SubscriptionGuard&) = delete;
  SubscriptionGuard& operator=(const SubscriptionGuard&) = delete;
  ~SubscriptionGuard() {
    if (id_) hub_.unsubscribe(id_);
  }
  void release() { id_ = 0; }

 private:
  domain::OrderEventHub& hub_;
  std::uint64_t id_;
};

// The id of the last event the client saw, as EventSource sends it on reconnecting; an id
// that is not one of ours replays nothing.
std::optional<std::int64_t> last_event_id(const Request& r) {
  auto header = r.headers.get("Last-Event-ID");
  if (!header) return std::nullopt;
  if (header->empty() || header->front() < '0' || header->front() > '9') return std::nullopt;
  std::int64_t id = 0;
  auto [end, ec] = std::from_chars(header->data(), header->data() + header->size(), id);
  if (ec != std::errc{} || end != header->data() + header->size() || id < 0) return std::nullopt;
  return id;
}

// A client that missed too much, or names an id beyond the latest (a database restored
// since, or an id not ours), is told to refetch rather than left silent.
void replay_or_resync(domain::OrderService& orders, const Principal& viewer, std::int64_t last, OrderEventRelay& relay) {
  auto latest = orders.latest_event_id();
  if (last > latest) return relay.resync(latest);
  auto missed = orders.events_since(viewer, last, max_replayed_events + 1);
  if (missed.size() > max_replayed_events) return relay.resync(last);
  relay.replay(last, missed);
}

Response open_stream(const OrderEventRouteParts& parts, Request& r) {
  const auto& viewer = *r.principal;
  auto stream = std::make_shared<http::EventStream>(stream_buffer_bytes);
  auto relay = std::make_shared<OrderEventRelay>(stream);
  auto id = parts.hub.subscribe(viewer, [relay](const domain::OrderStatusChanged& e) { return relay->deliver(e); });
  SubscriptionGuard guard(parts.hub, id);
  stream->push(reconnect_hint);
  if (auto last = last_event_id(r)) replay_or_resync(parts.orders, viewer, *last, *relay);
  relay->go_live();
  stream->on_cancel([&hub = parts.hub, id] { hub.unsubscribe(id); });
  guard.release();

  Response response;
  response.headers.set("Content-Type", "text/event-stream; charset=utf-8");
  response.headers.set("Cache-Control", "no-store");
  response.headers.set("X-Accel-Buffering", "no");  // nginx and the like: do not buffer the stream
  response.stream = std::move(stream);
  return response;
}

Response issue_ticket(domain::StreamTicketService& tickets, Request& r) {
  auto ticket = tickets.issue(*r.principal);
  return http::json_response(201, boost::json::object{{"ticket", ticket.ticket}, {"expires_in", ticket.expires_in}});
}

Response streaming_unavailable() {
  throw mercato::Error{mercato::ErrorKind::not_implemented, "streaming_unavailable",
                       "This deployment cannot stream responses. Poll GET /api/orders/{id} for status changes, or "
                       "use a deployment of the socket server (see docs/deploy-aws.md)."};
}

}  // namespace

void add_order_event_routes(http::Router& router, OrderEventRouteParts parts) {
  auto signed_in = http::AccessPolicy::signed_in();
  if (!parts.streaming_available) {
    router.add({http::Method::get, "/api/orders/events", signed_in, [](Request&) { return streaming_unavailable(); }});
    router.add({http::Method::post, "/api/orders/events/ticket", signed_in,
                [](Request&) { return streaming_unavailable(); }});
    return;
  }
  router.add({http::Method::get, "/api/orders/events", signed_in, [parts](Request& r) { return open_stream(parts, r); }});
  router.add({http::Method::post, "/api/orders/events/ticket", signed_in,
              [&tickets = parts.tickets](Request& r) { return issue_ticket(tickets, r); }});
}

}  // namespace mercato::api
