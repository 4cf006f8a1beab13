// `mercato stripe-emulator` as a process: serving on port 0, stopping on SIGTERM, bad flags.

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include <csignal>

#include "app/stripe_emulator_command.hpp"
#include "clients/curl_http_client.hpp"
#include "support/child_process.hpp"

using namespace std::chrono_literals;
using mercato::testing::ChildProcess;
using mercato::testing::run_binary;

namespace {

constexpr std::string_view command_key = "sk_test_command_key_must_not_leak";

// Variables that would make `serve` refuse to start: the emulator must not read them.
std::map<std::string, std::string> hostile_env() {
  return {{"APP_ENV", "production"}, {"DATABASE_URL", "postgresql://nowhere.invalid/none"}, {"PORT", "not-a-port"},
          {"STRIPE_EMULATOR_PORT", ""}, {"STRIPE_WEBHOOK_URL", ""}, {"STRIPE_WEBHOOK_SECRET", ""}};
}

mercato::clients::HttpReply call(std::uint16_t port, std::string method, std::string path, std::string body,
                                 bool with_key) {
  mercato::clients::CurlHttpClient client;
  mercato::clients::HttpCall call;
  call.method = std::move(method);
  call.url = "http://127.0.0.1:" + std::to_string(port) + path;
  call.body = std::move(body);
  if (with_key) call.headers.emplace_back("Authorization", "Bearer " + std::string(command_key));
  call.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
  return client.send(call);
}

mercato::app::Environment environment(std::map<std::string, std::string> values) {
  return [values](std::string_view name) -> std::optional<std::string> {
    auto it = values.find(std::string(name));
    if (it == values.end()) return std::nullopt;
    return it->second;
  };
}

std::size_t line_count(const std::string& text) { return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')); }

}  // namespace

TEST(StripeEmulatorCommand, ServesOnPortZeroAndStopsOnSigterm) {
  ChildProcess emulator({MERCATO_BINARY_PATH, "stripe-emulator", "--port", "0"}, hostile_env());
  auto started = emulator.wait_for_line("stripe_emulator_started", 20s);
  ASSERT_TRUE(started) << emulator.err();
  auto line = boost::json::parse(*started).as_object();
  auto port = static_cast<std::uint16_t>(line.at("port").as_int64());
  EXPECT_NE(port, 0);
  EXPECT_EQ(line.at("address"), "127.0.0.1");

  auto created = call(port, "POST", "/v1/payment_intents", "amount=100&currency=usd", true);
  EXPECT_EQ(created.status, 200) << created.body;
  auto client_secret = std::string(boost::json::parse(created.body).at("client_secret").as_string());
  EXPECT_EQ(call(port, "GET", "/v1/payment_intents/pi_x", "", false).status, 401);
  EXPECT_TRUE(emulator.wait_for_line("\"status\":401", 5s));

  emulator.send_signal(SIGTERM);
  EXPECT_EQ(emulator.wait(20s), 0);
  EXPECT_EQ(emulator.out().find(command_key), std::string::npos);
  EXPECT_EQ(emulator.out().find(client_secret), std::string::npos);
  EXPECT_NE(emulator.out().find("stripe_emulator_stopped"), std::string::npos);
}

TEST(StripeEmulatorCommand, BadFlagsAreOneLineAndExitCode2) {
  for (std::vector<std::string> flags : {std::vector<std::string>{"--bogus"},
                                         {"--port", "eighty"},
                                         {"--port", "70000"},
                                         {"--port"},
                                         {"--webhook-url", "http://127.0.0.1:9/hooks"},
                                         {"--webhook-url", "ftp://x", "--webhook-secret", "whsec_x"}}) {
    std::vector<std::string> args{MERCATO_BINARY_PATH, "stripe-emulator"};
    args.insert(args.end(), flags.begin(), flags.end());
    auto result = run_binary(args, hostile_env());
    EXPECT_EQ(result.code, 2) << flags[0];
    EXPECT_EQ(line_count(result.err), 1u) << result.err;
  }
}

TEST(StripeEmulatorCommand, FlagsWinOverTheEnvironment) {
  auto env = environment({{"STRIPE_EMULATOR_PORT", "13000"},
                          {"STRIPE_WEBHOOK_URL", "http://localhost:8080/api/payments/webhook"},
                          {"STRIPE_WEBHOOK_SECRET", "whsec_from_env"}});
  auto from_env = mercato::app::parse_stripe_emulator_args({"mercato", "stripe-emulator"}, env);
  EXPECT_EQ(from_env.port, 13000);
  EXPECT_EQ(from_env.bind_address, "127.0.0.1");
  EXPECT_EQ(from_env.webhook_url, "http://localhost:8080/api/payments/webhook");
  EXPECT_EQ(from_env.webhook_secret, "whsec_from_env");
  auto flagged = mercato::app::parse_stripe_emulator_args(
      {"mercato", "stripe-emulator", "--port=14000", "--bind", "0.0.0.0", "--webhook-secret", "whsec_flag"}, env);
  EXPECT_EQ(flagged.port, 14000);
  EXPECT_EQ(flagged.bind_address, "0.0.0.0");
  EXPECT_EQ(flagged.webhook_secret, "whsec_flag");
  auto defaults = mercato::app::parse_stripe_emulator_args({"mercato", "stripe-emulator"}, environment({}));
  EXPECT_EQ(defaults.port, 12111);
  EXPECT_TRUE(defaults.webhook_url.empty());
  // A flag wins even over a malformed variable.
  auto bad_env = environment({{"STRIPE_EMULATOR_PORT", "nope"}});
  EXPECT_EQ(mercato::app::parse_stripe_emulator_args({"mercato", "stripe-emulator", "--port", "0"}, bad_env).port, 0);
  EXPECT_THROW(mercato::app::parse_stripe_emulator_args({"mercato", "stripe-emulator"}, bad_env),
               mercato::app::UsageError);
}

TEST(StripeEmulatorCommand, ListedInHelp) {
  auto help = run_binary({MERCATO_BINARY_PATH, "help"}, {});
  EXPECT_EQ(help.code, 0);
  EXPECT_NE(help.out.find("stripe-emulator"), std::string::npos);
}
