#include "api/idempotency_key_header.hpp"

#include <algorithm>

#include "core/error.hpp"

namespace mercato::api {

std::optional<std::string> idempotency_key_of(const http::Request& request) {
  auto header = request.headers.get("Idempotency-Key");
  if (!header) return std::nullopt;
  std::string key(*header);
  if (key.size() >= 2 && key.front() == '"' && key.back() == '"') key = key.substr(1, key.size() - 2);
  bool visible = std::all_of(key.begin(), key.end(), [](unsigned char c) { return c > 0x20 && c < 0x7f; });
  if (key.empty() || key.size() > 255 || !visible)
    throw Error::validation({{"Idempotency-Key", "Must be 1 to 255 visible ASCII characters, e.g. a UUID."}});
  return key;
}

}  // namespace mercato::api
