#include "clients/curl_handles.hpp"

#include <mutex>
#include <stdexcept>

namespace mercato::clients {

void init_curl_once() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) throw std::runtime_error("curl_global_init failed");
  });
}

}  // namespace mercato::clients
