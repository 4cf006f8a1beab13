#pragma once
// The subcommands of the mercato binary. Each returns the process exit code:
// 0 success, 1 failure at run time, 2 bad usage or configuration.

#include <string>
#include <vector>

#include "app/config.hpp"
#include "app/application.hpp"

namespace mercato::app {

int run_serve(const Config& config, Platform platform);
int run_migrate(const Config& config, Platform platform);
int run_create_admin(const Config& config, Platform platform, const std::vector<std::string>& args);
int run_version();
int run_help();

// Dispatches argv[1] ("serve" when absent) after loading the configuration.
int run_command(const std::vector<std::string>& args);

}  // namespace mercato::app
