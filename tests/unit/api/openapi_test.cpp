// Keeps api/openapi.yaml and the route table in step: every registered route is
// documented with the same access policy, and nothing undocumented is registered.

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <regex>
#include <sstream>

#include "app/application.hpp"
#include "support/fixed_clock.hpp"

using namespace mercato;

namespace {

// "/api/orders/:id" -> "/api/orders/{id}"
std::string openapi_path(const std::string& path_template) {
  return std::regex_replace(path_template, std::regex(":([a-z_]+)"), "{$1}");
}

std::string lower(std::string_view method) {
  std::string out(method);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Reads "METHOD path" -> x-mercato-access from the paths section. The document keeps the
// usual two-space layout, which this relies on.
std::map<std::string, std::string> documented_operations() {
  std::ifstream file(std::string{MERCATO_SOURCE_DIR} + "/api/openapi.yaml");
  EXPECT_TRUE(file) << "api/openapi.yaml not found";
  std::map<std::string, std::string> out;
  std::regex path_line(R"(^  (/\S*):\s*$)");
  std::regex method_line(R"(^    (get|put|post|delete|patch|head|options):\s*$)");
  std::regex access_line(R"(^      x-mercato-access:\s*(\S+)\s*$)");
  bool in_paths = false;
  std::string path, operation;
  for (std::string line; std::getline(file, line);) {
    if (!line.empty() && line[0] != ' ') in_paths = line.rfind("paths:", 0) == 0;
    if (!in_paths) continue;
    std::smatch m;
    if (std::regex_match(line, m, path_line)) path = m[1];
    else if (std::regex_match(line, m, method_line)) operation = m[1].str() + " " + path, out[operation] = "";
    else if (std::regex_match(line, m, access_line)) out[operation] = m[1];
  }
  return out;
}

}  // namespace

TEST(OpenApi, DocumentsExactlyTheRegisteredRoutesAndTheirAccess) {
  mercato::testing::FixedClock clock;
  security::SystemRandom random;
  std::ostringstream log_out;
  observability::Logger log(log_out, observability::LogLevel::error, clock);
  auto config = app::load_config([](std::string_view) { return std::nullopt; });
  config.metrics_token = "openapi-test";  // GET /metrics exists only with a token
  // The pool connects lazily: building the route table touches no database.
  auto database = db::open_database("sqlite:" + ::testing::TempDir() + "/openapi-routes.db", {});
  app::Application application(config, *database, {log, clock, random});

  auto documented = documented_operations();
  ASSERT_FALSE(documented.empty());
  for (const auto& route : application.router().routes()) {
    auto key = lower(http::to_string(route.method)) + " " + openapi_path(route.path_template);
    auto it = documented.find(key);
    if (it == documented.end()) {
      ADD_FAILURE() << "registered but not documented: " << key;
      continue;
    }
    EXPECT_EQ(it->second, route.access.describe()) << "x-mercato-access of " << key;
    documented.erase(it);
  }
  for (const auto& [key, access] : documented) ADD_FAILURE() << "documented but not registered: " << key;
}
