#include "app/stripe_emulator_command.hpp"

#include <charconv>
#include <iostream>

#include "clients/curl_http_client.hpp"
#include "core/worker_pool.hpp"
#include "http/server/server.hpp"
#include "observability/logger.hpp"
#include "stripe_emulator/stripe_emulator.hpp"

namespace mercato::app {

namespace {

constexpr std::string_view usage =
    "usage: mercato stripe-emulator [--port N] [--bind ADDR] [--webhook-url URL] [--webhook-secret whsec_...]";

std::uint16_t parse_port(const std::string& text, std::string_view source) {
  unsigned value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || text.empty() || value > 65535)
    throw UsageError(std::string(source) + ": '" + text + "' is not a port number (0-65535)");
  return static_cast<std::uint16_t>(value);
}

// Only what no flag gave: a flag wins even over a malformed variable.
void apply_environment(StripeEmulatorSettings& settings, const Environment& env, bool has_port, bool has_url,
                       bool has_secret) {
  if (auto port = env("STRIPE_EMULATOR_PORT"); !has_port && port && !port->empty())
    settings.port = parse_port(*port, "STRIPE_EMULATOR_PORT");
  if (auto url = env("STRIPE_WEBHOOK_URL"); !has_url && url) settings.webhook_url = *url;
  if (auto secret = env("STRIPE_WEBHOOK_SECRET"); !has_secret && secret) settings.webhook_secret = *secret;
}

// "--name value" or "--name=value"; advances `i` past what it used.
std::string flag_value(const std::vector<std::string>& args, std::size_t& i, std::string_view name) {
  const auto& arg = args[i];
  if (arg.size() > name.size() && arg[name.size()] == '=') return arg.substr(name.size() + 1);
  if (i + 1 >= args.size()) throw UsageError(std::string(name) + " needs a value; " + std::string(usage));
  return args[++i];
}

bool is_flag(const std::string& arg, std::string_view name) {
  return arg == name || (arg.starts_with(name) && arg.size() > name.size() && arg[name.size()] == '=');
}

void check(const StripeEmulatorSettings& settings) {
  const auto& url = settings.webhook_url;
  if (!url.empty() && !url.starts_with("http://") && !url.starts_with("https://"))
    throw UsageError("--webhook-url must be an http:// or https:// URL");
  if (!url.empty() && settings.webhook_secret.empty())
    throw UsageError("--webhook-url needs --webhook-secret (or STRIPE_WEBHOOK_SECRET) to sign the webhooks");
  if (settings.bind_address.empty()) throw UsageError("--bind needs an address");
}

int serve(const StripeEmulatorSettings& settings) {
  SystemClock clock;
  security::SystemRandom random;
  observability::Logger log(std::cout, observability::LogLevel::info, clock);
  clients::CurlHttpClient webhook_client;
  stripe_emulator::EmulatorOptions options;
  options.webhook_url = settings.webhook_url;
  options.webhook_secret = settings.webhook_secret;
  stripe_emulator::StripeEmulator emulator(options, webhook_client, clock, random, log);
  WorkerPool workers(4, 256);
  http::ServerOptions server_options;
  server_options.address = settings.bind_address;
  server_options.port = settings.port;
  server_options.handle_signals = true;
  http::Server server(server_options, [&emulator](http::Request& r) { return emulator.handle(r); }, workers, log);
  server.start();
  emulator.start();
  log.info("stripe_emulator_started", {{"address", settings.bind_address},
                                       {"port", server.port()},
                                       {"webhooks", !settings.webhook_url.empty()}});
  server.run_until_signal();
  emulator.stop();
  workers.stop();
  log.info("stripe_emulator_stopped");
  return 0;
}

}  // namespace

StripeEmulatorSettings parse_stripe_emulator_args(const std::vector<std::string>& args, const Environment& env) {
  StripeEmulatorSettings settings;
  bool has_port = false, has_url = false, has_secret = false;
  for (std::size_t i = 2; i < args.size(); ++i) {
    const auto& arg = args[i];
    if (arg == "--help" || arg == "-h") {
      settings.help = true;
    } else if (is_flag(arg, "--port")) {
      settings.port = parse_port(flag_value(args, i, "--port"), "--port");
      has_port = true;
    } else if (is_flag(arg, "--bind")) {
      settings.bind_address = flag_value(args, i, "--bind");
    } else if (is_flag(arg, "--webhook-url")) {
      settings.webhook_url = flag_value(args, i, "--webhook-url");
      has_url = true;
    } else if (is_flag(arg, "--webhook-secret")) {
      settings.webhook_secret = flag_value(args, i, "--webhook-secret");
      has_secret = true;
    } else {
      throw UsageError("unknown flag '" + arg + "'; " + std::string(usage));
    }
  }
  apply_environment(settings, env, has_port, has_url, has_secret);
  check(settings);
  return settings;
}

int run_stripe_emulator(const std::vector<std::string>& args, const Environment& env) {
  StripeEmulatorSettings settings;
  try {
    settings = parse_stripe_emulator_args(args, env);
  } catch (const UsageError& e) {
    std::cerr << "mercato stripe-emulator: " << e.what() << '\n';
    return 2;
  }
  if (settings.help) {
    std::cout << usage << "\n  Serves a Stripe test-mode API on ADDR:N (default 127.0.0.1:12111); see "
                          "docs/stripe-emulator.md.\n";
    return 0;
  }
  try {
    return serve(settings);
  } catch (const std::exception& e) {  // e.g. the port is taken
    std::cerr << "mercato stripe-emulator: " << e.what() << '\n';
    return 1;
  }
}

}  // namespace mercato::app
