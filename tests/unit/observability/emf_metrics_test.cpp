// CloudWatch Embedded Metric Format: the shape the specification requires, on the access
// line of a request and on a business event's own line.

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include <map>
#include <set>
#include <sstream>

#include "observability/emf_metrics.hpp"
#include "observability/metrics_registry.hpp"
#include "support/fixed_clock.hpp"

using namespace mercato::observability;

namespace {

constexpr std::int64_t fixed_clock_epoch_ms = 1'795'564'800'000;  // 2026-11-25T00:00:00Z

// What the specification asks of every EMF document: a directive whose dimensions and
// metrics name members of the root, dimensions as strings, metric values as numbers,
// units from CloudWatch's list, at most 100 metrics and 30 dimensions.
void expect_valid_emf(const boost::json::object& root) {
  static const std::set<std::string> units{
      "Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes", "Megabytes", "Gigabytes", "Terabytes",
      "Bits", "Kilobits", "Megabits", "Gigabits", "Terabits", "Percent", "Count", "Bytes/Second",
      "Kilobytes/Second", "Megabytes/Second", "Gigabytes/Second", "Terabytes/Second", "Bits/Second",
      "Kilobits/Second", "Megabits/Second", "Gigabits/Second", "Terabits/Second", "Count/Second", "None"};
  const auto& aws = root.at("_aws").as_object();
  EXPECT_TRUE(aws.at("Timestamp").is_int64());
  const auto& directives = aws.at("CloudWatchMetrics").as_array();
  ASSERT_FALSE(directives.empty());
  for (const auto& d : directives) {
    const auto& directive = d.as_object();
    EXPECT_TRUE(directive.at("Namespace").is_string());
    for (const auto& set : directive.at("Dimensions").as_array()) {
      EXPECT_LE(set.as_array().size(), 30u);
      for (const auto& key : set.as_array()) EXPECT_TRUE(root.at(key.as_string()).is_string()) << key;
    }
    const auto& metrics = directive.at("Metrics").as_array();
    EXPECT_LE(metrics.size(), 100u);
    for (const auto& m : metrics) {
      auto name = m.at("Name").as_string();
      EXPECT_TRUE(root.at(name).is_number()) << name;
      EXPECT_TRUE(units.count(std::string(m.at("Unit").as_string()))) << m.at("Unit");
    }
  }
}

struct Fixture {
  mercato::testing::FixedClock clock;
  std::ostringstream out;
  Logger log{out, LogLevel::info, clock};
  MetricsRegistry registry;
  EmfMetrics emf{registry, log, clock, "Mercato/Test"};

  std::vector<boost::json::object> lines() const {
    std::vector<boost::json::object> parsed;
    std::istringstream in(out.str());
    for (std::string line; std::getline(in, line);) parsed.push_back(boost::json::parse(line).as_object());
    return parsed;
  }
};

}  // namespace

TEST(EmfMetrics, AccessLineBecomesTheRequestMetricDocument) {
  Fixture f;
  f.clock.advance(std::chrono::milliseconds{1500});
  boost::json::object line{{"request_id", "r1"}, {"status", 404}};
  f.emf.observe_request({"/api/orders/:id", "GET", 404, 12.5}, line);
  f.log.info("http_request", line);

  auto lines = f.lines();
  ASSERT_EQ(lines.size(), 1u) << "one line per request, no second document";
  const auto& doc = lines[0];
  expect_valid_emf(doc);
  EXPECT_EQ(doc.at("_aws").at("Timestamp").as_int64(), fixed_clock_epoch_ms + 1500);
  const auto& directive = doc.at("_aws").at("CloudWatchMetrics").as_array().at(0).as_object();
  EXPECT_EQ(doc.at("_aws").at("CloudWatchMetrics").as_array().size(), 1u);
  EXPECT_EQ(directive.at("Namespace"), "Mercato/Test");
  EXPECT_EQ(directive.at("Dimensions"), boost::json::parse(R"([["Route"]])"));
  EXPECT_EQ(directive.at("Metrics"), boost::json::parse(R"([{"Name":"Requests","Unit":"Count"},
      {"Name":"Latency","Unit":"Milliseconds"},{"Name":"Status4xx","Unit":"Count"},{"Name":"Status5xx","Unit":"Count"}])"));
  EXPECT_EQ(doc.at("Route"), "/api/orders/:id");
  EXPECT_EQ(doc.at("Requests"), 1);
  EXPECT_DOUBLE_EQ(doc.at("Latency").to_number<double>(), 12.5);
  EXPECT_EQ(doc.at("Status4xx"), 1);
  EXPECT_EQ(doc.at("Status5xx"), 0);
  // The access line keeps its own fields.
  EXPECT_EQ(doc.at("request_id"), "r1");
  EXPECT_EQ(doc.at("event"), "http_request");
}

TEST(EmfMetrics, StatusClassMembers) {
  struct Case {
    int status;
    int s4xx;
    int s5xx;
  };
  for (auto c : {Case{200, 0, 0}, Case{302, 0, 0}, Case{400, 1, 0}, Case{499, 1, 0}, Case{500, 0, 1}, Case{503, 0, 1}}) {
    Fixture f;
    boost::json::object line;
    f.emf.observe_request({"unmatched", "GET", c.status, 1}, line);
    EXPECT_EQ(line.at("Status4xx"), c.s4xx) << c.status;
    EXPECT_EQ(line.at("Status5xx"), c.s5xx) << c.status;
  }
}

TEST(EmfMetrics, BusinessEventIsOneLineWithoutDimensions) {
  Fixture f;
  f.clock.advance(std::chrono::milliseconds{42});
  f.emf.count(BusinessMetric::payments_completed);
  auto lines = f.lines();
  ASSERT_EQ(lines.size(), 1u);
  const auto& doc = lines[0];
  expect_valid_emf(doc);
  EXPECT_EQ(doc.at("event"), "metric");
  EXPECT_EQ(doc.at("_aws").at("Timestamp").as_int64(), fixed_clock_epoch_ms + 42);
  const auto& directive = doc.at("_aws").at("CloudWatchMetrics").as_array().at(0).as_object();
  EXPECT_EQ(directive.at("Namespace"), "Mercato/Test");
  EXPECT_EQ(directive.at("Dimensions"), boost::json::parse("[[]]"));
  EXPECT_EQ(directive.at("Metrics"), boost::json::parse(R"([{"Name":"PaymentsCompleted","Unit":"Count"}])"));
  EXPECT_EQ(doc.at("PaymentsCompleted"), 1);
}

TEST(EmfMetrics, NamesOfEveryBusinessMetric) {
  const std::map<BusinessMetric, std::string> expected{{BusinessMetric::orders_created, "OrdersCreated"},
                                                       {BusinessMetric::payments_completed, "PaymentsCompleted"},
                                                       {BusinessMetric::payments_failed, "PaymentsFailed"},
                                                       {BusinessMetric::webhook_failures, "WebhookFailures"}};
  for (const auto& [metric, name] : expected) {
    Fixture f;
    f.emf.count(metric);
    EXPECT_EQ(f.lines().at(0).at(name), 1) << name;
  }
}

TEST(EmfMetrics, PassesEverythingToTheWrappedMetrics) {
  Fixture f;
  f.emf.count(BusinessMetric::orders_created);
  boost::json::object line;
  f.emf.observe_request({"/api/health", "GET", 200, 3}, line);
  auto s = f.registry.snapshot();
  EXPECT_EQ(s.business[static_cast<std::size_t>(BusinessMetric::orders_created)], 1u);
  ASSERT_EQ(s.requests.size(), 1u);
  EXPECT_EQ(s.requests[0].route, "/api/health");
  EXPECT_EQ(s.requests[0].value, 1u);
}
