#include "observability/logger.hpp"

#include <boost/json/serialize.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <string>

#include "core/time_format.hpp"

namespace mercato::observability {

namespace {

std::string_view level_name(LogLevel level) {
  switch (level) {
    case LogLevel::debug: return "debug";
    case LogLevel::info: return "info";
    case LogLevel::warn: return "warn";
    case LogLevel::error: return "error";
  }
  return "info";
}

void redact(boost::json::object& fields) {
  for (auto& field : fields) {
    if (is_sensitive_key(field.key()))
      field.value() = "[redacted]";
    else if (field.value().is_object())
      redact(field.value().as_object());
  }
}

}  // namespace

std::optional<LogLevel> parse_log_level(std::string_view text) {
  for (auto level : {LogLevel::debug, LogLevel::info, LogLevel::warn, LogLevel::error})
    if (level_name(level) == text) return level;
  return std::nullopt;
}

bool is_sensitive_key(std::string_view key) noexcept {
  std::string lower(key);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  constexpr std::array<std::string_view, 8> markers{"password", "token", "secret", "authorization",
                                                    "cookie", "api_key", "client_secret", "encryption_key"};
  return std::any_of(markers.begin(), markers.end(),
                     [&](std::string_view marker) { return lower.find(marker) != std::string::npos; });
}

void Logger::log(LogLevel level, std::string_view event, boost::json::object fields) {
  if (!enabled(level)) return;
  redact(fields);
  boost::json::object line;
  line["time"] = format_rfc3339(clock_.now());
  line["level"] = level_name(level);
  line["event"] = event;
  for (auto& field : fields) line[field.key()] = std::move(field.value());
  auto text = boost::json::serialize(line);
  std::lock_guard lock(mutex_);
  out_ << text << '\n';
  out_.flush();
}

}  // namespace mercato::observability
