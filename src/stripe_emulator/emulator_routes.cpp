#include "stripe_emulator/emulator_routes.hpp"

#include <array>
#include <optional>
#include <vector>

#include "stripe_emulator/payment_intent_operations.hpp"
#include "stripe_emulator/read_operations.hpp"
#include "stripe_emulator/refund_operations.hpp"
#include "stripe_emulator/stripe_errors.hpp"

namespace mercato::stripe_emulator {

namespace {

using Operation = boost::json::object (*)(OperationContext&, std::string_view id, boost::json::object);

struct Route {
  http::Method method;
  std::string_view pattern;  // ":id" matches one path segment
  Operation run;
};

const std::array<Route, 10> routes{{
    {http::Method::post, "/v1/payment_intents",
     [](OperationContext& c, std::string_view, boost::json::object f) { return create_payment_intent(c, std::move(f)); }},
    {http::Method::get, "/v1/payment_intents/:id", &retrieve_payment_intent},
    {http::Method::post, "/v1/payment_intents/:id/confirm", &confirm_payment_intent},
    {http::Method::post, "/v1/payment_intents/:id/cancel", &cancel_payment_intent},
    {http::Method::post, "/v1/refunds",
     [](OperationContext& c, std::string_view, boost::json::object f) { return create_refund(c, std::move(f)); }},
    {http::Method::get, "/v1/refunds/:id", &retrieve_refund},
    {http::Method::get, "/v1/charges/:id", &retrieve_charge},
    {http::Method::get, "/v1/events",
     [](OperationContext& c, std::string_view, boost::json::object f) { return list_events(c, std::move(f)); }},
    {http::Method::get, "/v1/events/:id", &retrieve_event},
    {http::Method::get, "/v1/payment_methods/:id", &retrieve_payment_method},
}};

std::vector<std::string_view> segments(std::string_view path) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (start <= path.size()) {
    auto slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    parts.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return parts;
}

// The id the pattern's ":id" matched ("" when it has none), or nullopt when it does not match.
std::optional<std::string_view> match(std::string_view pattern, std::string_view path) {
  auto want = segments(pattern);
  auto have = segments(path);
  if (want.size() != have.size()) return std::nullopt;
  std::string_view id;
  for (std::size_t i = 0; i < want.size(); ++i) {
    if (want[i] == ":id" && !have[i].empty()) id = have[i];
    else if (want[i] != have[i]) return std::nullopt;
  }
  return id;
}

}  // namespace

boost::json::object dispatch(OperationContext& context, http::Method method, std::string_view path,
                             boost::json::object fields) {
  for (const auto& route : routes) {
    if (route.method != method) continue;
    if (auto id = match(route.pattern, path)) return route.run(context, *id, std::move(fields));
  }
  throw unrecognized_url(http::to_string(method), path);
}

}  // namespace mercato::stripe_emulator
