#include <gtest/gtest.h>

#include "http/router.hpp"

using namespace mercato::http;

namespace {

Route route(Method method, std::string path, std::string tag) {
  return {method, std::move(path), AccessPolicy::anyone(), [tag](Request&) {
            Response r;
            r.body = tag;
            return r;
          }};
}

std::string run(const Router& router, Method method, std::string_view path) {
  auto match = router.match(method, path);
  if (match.outcome != RouteMatch::Outcome::found) return "-";
  Request request;
  return match.route->handler(request).body;
}

}  // namespace

TEST(Router, MatchesLiteralAndParameterSegments) {
  Router router;
  router.add(route(Method::get, "/api/orders/:id", "order"));
  router.add(route(Method::get, "/api/orders", "orders"));
  auto match = router.match(Method::get, "/api/orders/abc");
  ASSERT_EQ(match.outcome, RouteMatch::Outcome::found);
  EXPECT_EQ(match.params.at("id"), "abc");
  EXPECT_EQ(run(router, Method::get, "/api/orders"), "orders");
}

TEST(Router, LiteralSegmentBeatsParameterWhateverTheOrder) {
  Router router;
  router.add(route(Method::get, "/api/orders/:id", "order"));
  router.add(route(Method::get, "/api/orders/events", "events"));
  EXPECT_EQ(run(router, Method::get, "/api/orders/events"), "events");
  EXPECT_EQ(run(router, Method::get, "/api/orders/42"), "order");
}

TEST(Router, DistinguishesNotFoundFromMethodNotAllowed) {
  Router router;
  router.add(route(Method::get, "/api/things/:id", "get"));
  router.add(route(Method::delete_, "/api/things/:id", "delete"));
  EXPECT_EQ(router.match(Method::get, "/api/nothing").outcome, RouteMatch::Outcome::not_found);
  EXPECT_EQ(router.match(Method::get, "/api/things").outcome, RouteMatch::Outcome::not_found);
  EXPECT_EQ(router.match(Method::get, "/api/things/1/extra").outcome, RouteMatch::Outcome::not_found);
  auto match = router.match(Method::post, "/api/things/1");
  EXPECT_EQ(match.outcome, RouteMatch::Outcome::method_not_allowed);
  EXPECT_EQ(match.allowed, (std::vector<Method>{Method::get, Method::delete_}));
}

TEST(Router, EmptySegmentDoesNotFillAParameter) {
  Router router;
  router.add(route(Method::get, "/api/things/:id", "get"));
  EXPECT_EQ(router.match(Method::get, "/api/things/").outcome, RouteMatch::Outcome::not_found);
  EXPECT_EQ(router.match(Method::get, "").outcome, RouteMatch::Outcome::not_found);
}

TEST(Router, RefusesDuplicateAndMalformedRoutes) {
  Router router;
  router.add(route(Method::get, "/a", "a"));
  EXPECT_THROW(router.add(route(Method::get, "/a", "again")), std::invalid_argument);
  EXPECT_THROW(router.add(route(Method::get, "relative", "x")), std::invalid_argument);
  EXPECT_THROW(router.add(Route{Method::get, "/b", AccessPolicy::anyone(), {}}), std::invalid_argument);
  EXPECT_THROW(router.add(Route{Method::get, "/c", AccessPolicy{}, [](Request&) { return Response{}; }}),
               std::invalid_argument);
  EXPECT_EQ(router.routes().size(), 1u);
}
