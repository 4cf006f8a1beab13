// GET /metrics through the whole application (absent without METRICS_TOKEN, the scraper's
// token checked, request counters moving), and the EMF members of the access-log line.

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include <regex>
#include <sstream>

#include "integration/accounts/accounts_test_support.hpp"
#include "support/app_harness.hpp"
#include "support/test_database.hpp"

using namespace mercato;
using namespace mercato::testing;

namespace {

const std::string metrics_token = "metrics-token-for-tests-0123456789abcdef";

class MetricsTest : public BackendTest {
 protected:
  static app::Config config_with_token() {
    auto config = AppHarness::default_config();
    config.metrics_token = metrics_token;
    return config;
  }
  static http::Headers authorization(const std::string& value) {
    http::Headers headers;
    headers.set("Authorization", value);
    return headers;
  }
  static http::Response scrape(AppHarness& app, const std::string& token = metrics_token) {
    return app.call(http::Method::get, "/metrics", {}, authorization("Bearer " + token));
  }
  // The value of one sample line ("name{labels} value"), -1 when absent.
  static long long sample(const std::string& text, const std::string& series) {
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
      if (line.rfind(series + " ", 0) == 0) return std::stoll(line.substr(series.size() + 1));
    return -1;
  }
  // The access-log lines (event http_request) of the harness's log, parsed.
  static std::vector<boost::json::object> access_lines(const AppHarness& app) {
    std::vector<boost::json::object> out;
    std::istringstream in(app.log_text());
    for (std::string line; std::getline(in, line);) {
      auto entry = boost::json::parse(line).as_object();
      if (entry.at("event") == "http_request") out.push_back(std::move(entry));
    }
    return out;
  }
};

const std::string health_2xx = R"(mercato_http_requests_total{route="/api/health",method="GET",status_class="2xx"})";

}  // namespace

TEST_P(MetricsTest, RouteDoesNotExistWithoutAToken) {
  AppHarness app(database());
  auto r = scrape(app, "anything");
  EXPECT_EQ(r.status, 404);
  for (const auto& route : app.application().router().routes()) EXPECT_NE(route.path_template, "/metrics");
}

TEST_P(MetricsTest, RefusesAMissingOrWrongToken) {
  AppHarness app(database(), config_with_token());
  std::vector<std::pair<std::string, std::optional<std::string>>> cases{
      {"no header", std::nullopt},
      {"wrong token", "Bearer " + metrics_token + "x"},
      {"a prefix of the token", "Bearer " + metrics_token.substr(0, 10)},
      {"another scheme", "Basic " + metrics_token},
      {"scheme only", "Bearer "},
      {"a JWT-looking token", "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln"},
  };
  for (const auto& [name, header] : cases) {
    auto r = header ? app.call(http::Method::get, "/metrics", {}, authorization(*header)) : app.get("/metrics");
    EXPECT_EQ(r.status, 401) << name;
    EXPECT_EQ(r.headers.get("Content-Type"), "application/problem+json") << name;
    EXPECT_EQ(r.headers.get("WWW-Authenticate"), "Bearer") << name;
    auto body = boost::json::parse(r.body).as_object();
    EXPECT_EQ(body.at("status"), 401) << name;
    EXPECT_EQ(body.at("code"), "invalid_metrics_token") << name;
    EXPECT_EQ(r.body.find("mercato_"), std::string::npos) << name;
  }
}

TEST_P(MetricsTest, AUsersAccessTokenIsNotTheMetricsToken) {
  AppHarness app(database(), config_with_token());
  accounts::register_user(app, "m@example.com", "correct horse battery");
  auto session = accounts::login(app, "m@example.com", "correct horse battery");
  ASSERT_FALSE(session.access_token.empty());
  ASSERT_EQ(accounts::me(app, session.access_token).status, 200) << "a valid JWT";
  EXPECT_EQ(scrape(app, session.access_token).status, 401);
}

TEST_P(MetricsTest, ServesPrometheusTextWithTheToken) {
  AppHarness app(database(), config_with_token());
  auto r = scrape(app);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.headers.get("Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_EQ(sample(r.body, R"(mercato_build_info{version=")" + std::string(MERCATO_VERSION) + "\"}"), 1);
  EXPECT_EQ(sample(r.body, "mercato_orders_created_total"), 0);
  EXPECT_EQ(sample(r.body, "mercato_webhook_failures_total"), 0);
  // The harness clock (2026-11-25T00:00:00Z) at the application's start.
  EXPECT_NE(r.body.find("\nprocess_start_time_seconds 1795564800\n"), std::string::npos) << r.body;
  // The scheme is case-insensitive, as everywhere in HTTP.
  EXPECT_EQ(app.call(http::Method::get, "/metrics", {}, authorization("bearer " + metrics_token)).status, 200);
}

TEST_P(MetricsTest, RequestCounterOfARouteIncreases) {
  AppHarness app(database(), config_with_token());
  ASSERT_EQ(app.get("/api/health").status, 200);
  auto before = sample(scrape(app).body, health_2xx);
  EXPECT_EQ(before, 1);
  ASSERT_EQ(app.get("/api/health").status, 200);
  ASSERT_EQ(app.get("/api/health").status, 200);
  auto text = scrape(app).body;
  EXPECT_EQ(sample(text, health_2xx), before + 2);
  EXPECT_EQ(sample(text, R"(mercato_http_request_duration_seconds_count{route="/api/health"})"), 3);
  EXPECT_EQ(sample(text, R"(mercato_http_request_duration_seconds_bucket{route="/api/health",le="+Inf"})"), 3);
  // The earlier scrape is a request too; a scrape is counted once answered, so not in itself.
  EXPECT_EQ(sample(text, R"(mercato_http_requests_total{route="/metrics",method="GET",status_class="2xx"})"), 1);
}

TEST_P(MetricsTest, PathsAreCountedByTemplateAndUnknownPathsAsUnmatched) {
  AppHarness app(database(), config_with_token());
  app.get("/api/products/00000000-0000-7000-8000-000000000001");
  app.get("/api/products/00000000-0000-7000-8000-000000000002");
  app.get("/no/such/path/1");
  app.get("/no/such/path/2");
  auto text = scrape(app).body;
  EXPECT_EQ(sample(text, R"(mercato_http_requests_total{route="/api/products/:id",method="GET",status_class="4xx"})"), 2);
  EXPECT_EQ(sample(text, R"(mercato_http_requests_total{route="unmatched",method="GET",status_class="4xx"})"), 2);
  EXPECT_EQ(text.find("00000000-0000-7000"), std::string::npos) << "an id in a label is a series per id";
  EXPECT_EQ(text.find("/no/such"), std::string::npos);
}

TEST_P(MetricsTest, TheTokenNeverReachesTheLog) {
  AppHarness app(database(), config_with_token());
  scrape(app);
  scrape(app, "wrong-" + metrics_token);
  EXPECT_FALSE(access_lines(app).empty());
  EXPECT_EQ(app.log_text().find(metrics_token), std::string::npos) << app.log_text();
}

TEST_P(MetricsTest, AccessLineHasNoEmfMembersWhenCloudWatchMetricsAreOff) {
  AppHarness app(database());
  app.get("/api/health");
  auto lines = access_lines(app);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_FALSE(lines[0].contains("_aws"));
  EXPECT_FALSE(lines[0].contains("Latency"));
}

TEST_P(MetricsTest, AccessLineIsTheEmfDocumentWhenCloudWatchMetricsAreOn) {
  auto config = AppHarness::default_config();
  config.cloudwatch_metrics = true;
  config.metrics_namespace = "Mercato/Staging";
  AppHarness app(database(), config);
  app.get("/api/health");
  app.get("/nowhere");
  auto lines = access_lines(app);
  ASSERT_EQ(lines.size(), 2u) << "one line per request";
  const auto& health = lines[0];
  const auto& directive = health.at("_aws").at("CloudWatchMetrics").as_array().at(0);
  EXPECT_EQ(directive.at("Namespace"), "Mercato/Staging");
  EXPECT_EQ(directive.at("Dimensions"), boost::json::parse(R"([["Route"]])"));
  EXPECT_EQ(health.at("Route"), "/api/health");
  EXPECT_EQ(health.at("Requests"), 1);
  EXPECT_EQ(health.at("Status4xx"), 0);
  EXPECT_EQ(health.at("Status5xx"), 0);
  EXPECT_TRUE(health.at("Latency").is_number());
  EXPECT_EQ(health.at("_aws").at("Timestamp").as_int64(),
            std::chrono::duration_cast<std::chrono::milliseconds>(app.clock().now().time_since_epoch()).count() - 1)
      << "the time of the first request (the harness moves its clock 1 ms per request)";
  EXPECT_EQ(lines[1].at("Route"), "unmatched");
  EXPECT_EQ(lines[1].at("Status4xx"), 1);
}

INSTANTIATE_TEST_SUITE_P(Backends, MetricsTest, ::testing::Values(Backend::sqlite, Backend::postgres),
                         backend_param_name);
