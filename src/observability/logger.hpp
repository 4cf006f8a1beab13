#pragma once
// JSON lines on stdout (what CloudWatch ingests): one object per line with time, level,
// event and fields. Values under secret-looking keys are redacted as a last defence; the
// first defence is never passing them.

#include <boost/json/object.hpp>

#include <mutex>
#include <optional>
#include <ostream>
#include <string_view>

#include "core/clock.hpp"

namespace mercato::observability {

enum class LogLevel { debug, info, warn, error };

// Parses "debug" | "info" | "warn" | "error"; nullopt otherwise.
std::optional<LogLevel> parse_log_level(std::string_view text);

class Logger {
 public:
  Logger(std::ostream& out, LogLevel min_level, const Clock& clock) : out_(out), min_level_(min_level), clock_(clock) {}

  bool enabled(LogLevel level) const noexcept { return level >= min_level_; }
  void log(LogLevel level, std::string_view event, boost::json::object fields = {});
  void info(std::string_view event, boost::json::object fields = {}) { log(LogLevel::info, event, std::move(fields)); }
  void warn(std::string_view event, boost::json::object fields = {}) { log(LogLevel::warn, event, std::move(fields)); }
  void error(std::string_view event, boost::json::object fields = {}) { log(LogLevel::error, event, std::move(fields)); }

 private:
  std::mutex mutex_;
  std::ostream& out_;
  LogLevel min_level_;
  const Clock& clock_;
};

// True for keys whose values must never be logged (password, token, secret, authorization...).
bool is_sensitive_key(std::string_view key) noexcept;

}  // namespace mercato::observability
