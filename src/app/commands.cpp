#include "app/commands.hpp"

#include <iostream>

#include "app/lambda_function.hpp"
#include "app/mail_delivery.hpp"
#include "clients/curl_http_client.hpp"
#include "core/error.hpp"
#include "core/worker_pool.hpp"
#include "db/migrations.hpp"
#include "app/order_event_listener.hpp"
#include "app/refund_settlement.hpp"
#include "app/startup_secrets.hpp"
#include "app/stripe_emulator_command.hpp"
#include "http/server/server.hpp"
#include "lambda/runtime_api_client.hpp"
#include "lambda/runtime_loop.hpp"

namespace mercato::app {

namespace {

// Start-up refusals that are the operator's to fix: one line on stderr, exit 2.
class StartupError : public std::runtime_error {
  using std::runtime_error::runtime_error;
};

std::unique_ptr<db::Database> open_configured_database(const Config& config) {
  return db::open_database(config.database_url, db::PoolOptions{config.db_pool_size, std::chrono::seconds{5}});
}

void require_current_schema(db::Database& database) {
  auto status = db::schema_status(database, db::embedded_migrations(database.dialect()));
  if (status.applied > status.known)
    throw StartupError("the database schema (version " + std::to_string(status.applied) +
                       ") is newer than this binary knows (version " + std::to_string(status.known) +
                       "); deploy the newer binary");
  if (status.applied < status.known)
    throw StartupError("the database schema is at version " + std::to_string(status.applied) + ", this binary needs " +
                       std::to_string(status.known) + "; run `mercato migrate` first");
}

http::ServerOptions server_options(const Config& config) {
  http::ServerOptions options;
  options.address = config.bind_address;
  options.port = config.port;
  options.io_threads = config.io_threads;
  options.body_limit = config.body_limit_bytes;
  options.read_timeout = config.read_timeout;
  options.idle_timeout = config.idle_timeout;
  options.handle_signals = true;
  return options;
}

const char* dialect_name(db::Dialect dialect) { return dialect == db::Dialect::postgres ? "postgresql" : "sqlite"; }

// Before the configuration is read. libcurl is set up on the first call only, so without
// SECRETS_ARN and DATABASE_SECRET_ARN this costs nothing at start.
StartupSecrets read_startup_secrets(const Environment& env) {
  clients::CurlHttpClient http;
  SystemClock clock;
  return load_startup_secrets(env, http, clock);
}

}  // namespace

int run_serve(const Config& config, Platform platform) {
  try {
    auto database = open_configured_database(config);
    require_current_schema(*database);
    Application application(config, *database, platform);
    MailDelivery mail(config, *database, application.cipher(), platform);
    application.on_mail_committed([&mail] { mail.wake(); });
    mail.start();
    OrderEventListener order_events(config.database_url, application, platform.log);
    order_events.start();
    RefundSettlement refunds(application.payments(), platform.log);
    refunds.start();
    WorkerPool workers(config.worker_threads, config.worker_queue);
    http::Server server(server_options(config), [&application](http::Request& r) { return application.handle(r); },
                        workers, platform.log);
    server.start();
    platform.log.info("server_started", {{"port", server.port()},
                                         {"database", dialect_name(database->dialect())},
                                         {"version", MERCATO_VERSION},
                                         {"env", config.env == AppEnv::production ? "production" : "development"}});
    server.run_until_signal();
    workers.stop();
    refunds.stop();
    order_events.stop();
    mail.stop();
    database->close();
    platform.log.info("server_stopped");
    return 0;
  } catch (const StartupError& e) {
    std::cerr << "mercato: " << e.what() << '\n';
    return 2;
  } catch (const ConfigError& e) {
    std::cerr << "mercato: configuration error: " << e.what() << '\n';
    return 2;
  }
}

// Lambda runs this process with AWS_LAMBDA_RUNTIME_API set; everything made here (the
// connection pool above all) lives as long as the container.
int run_lambda(const Config& config, Platform platform, lambda::RuntimeApiClient& runtime) {
  auto started = std::chrono::steady_clock::now();
  std::unique_ptr<db::Database> database;
  std::optional<ApiFunction> function;
  try {
    database = open_configured_database(config);
    function.emplace(config, *database, platform);
  } catch (const std::exception& e) {
    platform.log.error("lambda_init_failed", {{"detail", e.what()}});
    runtime.fail_init({"Runtime.InitError", e.what()});
    return 1;
  }
  auto init_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  platform.log.info("lambda_ready", {{"init_ms", init_ms},
                                     {"database", dialect_name(database->dialect())},
                                     {"version", MERCATO_VERSION}});
  return lambda::run_runtime_loop(runtime, *function, platform.log);
}

// For container health checks (Docker HEALTHCHECK, ECS): the image carries no curl. Reads
// only PORT: the rest of the configuration (secrets above all) may not be in its environment.
int run_healthcheck(const Environment& env) {
  Config config;
  try {
    config = load_config([&env](std::string_view name) -> std::optional<std::string> {
      if (name == "PORT") return env(name);
      return std::nullopt;
    });
  } catch (const ConfigError& e) {
    std::cerr << "mercato: configuration error: " << e.what() << '\n';
    return 2;
  }
  clients::CurlHttpClient client;
  clients::HttpCall call;
  call.url = "http://127.0.0.1:" + std::to_string(config.port) + "/api/health";
  call.connect_timeout = std::chrono::seconds{2};
  call.total_timeout = std::chrono::seconds{5};
  try {
    auto reply = client.send(call);
    if (reply.status == 200) return 0;
    std::cerr << "mercato: health check answered " << reply.status << '\n';
  } catch (const clients::HttpTransportError& e) {
    std::cerr << "mercato: health check failed: " << e.what() << '\n';
  }
  return 1;
}

int run_migrate(const Config& config, Platform platform) {
  auto database = open_configured_database(config);
  const auto& migrations = db::embedded_migrations(database->dialect());
  auto status = db::schema_status(*database, migrations);
  if (status.applied > status.known) {
    std::cerr << "mercato: the database schema (version " << status.applied << ") is newer than this binary ("
              << status.known << ")\n";
    return 2;
  }
  int applied = db::migrate(*database, migrations);
  platform.log.info("migrations_applied", {{"applied", applied}, {"version", status.known},
                                           {"database", dialect_name(database->dialect())}});
  return 0;
}

// The password comes from standard input (one line), never from argv: the process list
// and shell history would show it.
int run_create_admin(const Config& config, Platform platform, const std::vector<std::string>& args) {
  std::string email;
  for (std::size_t i = 2; i + 1 < args.size(); ++i)
    if (args[i] == "--email") email = args[i + 1];
  if (email.empty()) {
    std::cerr << "mercato: usage: mercato create-admin --email <address>  (password on standard input)\n";
    return 2;
  }
  std::string password;
  std::getline(std::cin, password);
  if (!password.empty() && password.back() == '\r') password.pop_back();
  auto database = open_configured_database(config);
  try {
    require_current_schema(*database);
    Application application(config, *database, platform);
    auto admin = application.auth().create_admin(email, password);
    platform.log.info("admin_created", {{"user_id", admin.id}});
    std::cout << "mercato: admin " << admin.id << " created\n";
    return 0;
  } catch (const StartupError& e) {
    std::cerr << "mercato: " << e.what() << '\n';
    return 2;
  } catch (const mercato::Error& e) {
    std::cerr << "mercato: " << e.message();
    for (const auto& field : e.field_errors()) std::cerr << " " << field.field << ": " << field.message;
    std::cerr << '\n';
    return 2;
  }
}

int run_version() {
  std::cout << "mercato " << MERCATO_VERSION << '\n';
  return 0;
}

int run_help() {
  std::cout << "usage: mercato [serve|lambda|migrate|create-admin --email <address>|stripe-emulator|healthcheck|"
               "version|help]\n"
               "  serve    serve the REST API on $PORT (default 8080); the default command\n"
               "  lambda   serve the REST API as an AWS Lambda function (needs AWS_LAMBDA_RUNTIME_API);\n"
               "           see docs/deploy-aws.md\n"
               "  migrate  apply pending schema migrations to $DATABASE_URL\n"
               "  create-admin --email <address>\n"
               "           create a verified admin; the password is read from standard input\n"
               "  stripe-emulator [--port 12111] [--bind ADDR] [--webhook-url URL] [--webhook-secret whsec_...]\n"
               "           serve a Stripe test-mode emulator; see docs/stripe-emulator.md\n"
               "  healthcheck\n"
               "           exit 0 when the server on $PORT answers GET /api/health with 200\n"
               "  version  print the version\n"
               "Configuration is read from the environment; see README.md.\n";
  return 0;
}

// A configuration error on Lambda is reported to the Runtime API as an init error, so that
// it shows in the function's status and not only in its log.
int run_lambda_command(const Environment& env) {
  auto endpoint = env("AWS_LAMBDA_RUNTIME_API");
  if (!endpoint || endpoint->empty()) {
    std::cerr << "mercato: AWS_LAMBDA_RUNTIME_API is not set; `mercato lambda` runs inside AWS Lambda "
                 "(see docs/deploy-aws.md)\n";
    return 2;
  }
  try {
    lambda::RuntimeApiClient runtime(*endpoint);
    Config config;
    StartupSecrets secrets;
    try {
      secrets = read_startup_secrets(env);
      config = load_config(secrets.environment);
    } catch (const ConfigError& e) {
      std::cerr << "mercato: configuration error: " << e.what() << '\n';
      runtime.fail_init({"Runtime.ConfigError", e.what()});
      return 2;
    } catch (const StartupSecretsError& e) {
      std::cerr << "mercato: " << e.what() << '\n';
      runtime.fail_init({"Runtime.InitError", e.what()});
      return 1;
    }
    // CloudWatch reads metrics from the function's log lines: no agent, no API call.
    config.cloudwatch_metrics = config.cloudwatch_metrics.value_or(true);
    SystemClock clock;
    security::SystemRandom random;
    observability::Logger log(std::cout, config.log_level, clock);
    log_startup_secrets(secrets, log);
    return run_lambda(config, Platform{log, clock, random}, runtime);
  } catch (const lambda::RuntimeApiError& e) {
    std::cerr << "mercato: " << e.what() << '\n';
    return 1;
  }
}

int run_command(const std::vector<std::string>& args) {
  std::string command = args.size() > 1 ? args[1] : "serve";
  if (command == "version" || command == "--version") return run_version();
  if (command == "help" || command == "--help" || command == "-h") return run_help();
  if (command == "stripe-emulator") return run_stripe_emulator(args, process_environment());
  if (command == "lambda") return run_lambda_command(process_environment());
  if (command == "healthcheck") return run_healthcheck(process_environment());
  if (command != "serve" && command != "migrate" && command != "create-admin") {
    std::cerr << "mercato: unknown command '" << command << "' (try `mercato help`)\n";
    return 2;
  }
  Config config;
  StartupSecrets secrets;
  try {
    secrets = read_startup_secrets(process_environment());
    config = load_config(secrets.environment);
  } catch (const ConfigError& e) {
    std::cerr << "mercato: configuration error: " << e.what() << '\n';
    return 2;
  } catch (const StartupSecretsError& e) {
    std::cerr << "mercato: " << e.what() << '\n';
    return 1;
  }
  SystemClock clock;
  security::SystemRandom random;
  observability::Logger log(std::cout, config.log_level, clock);
  log_startup_secrets(secrets, log);
  Platform platform{log, clock, random};
  try {
    if (command == "migrate") return run_migrate(config, platform);
    if (command == "create-admin") return run_create_admin(config, platform, args);
    return run_serve(config, platform);
  } catch (const std::exception& e) {
    log.error("fatal", {{"command", command}, {"detail", e.what()}});
    std::cerr << "mercato: " << e.what() << '\n';
    return 1;
  }
}

}  // namespace mercato::app
