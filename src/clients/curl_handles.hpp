#pragma once
// RAII for libcurl's easy handles and header lists, and its one-time global set-up: what
// every libcurl user here (HTTP clients, SMTP) shares.

#include <curl/curl.h>

#include <memory>

namespace mercato::clients {

struct CurlDeleter {
  void operator()(CURL* curl) const noexcept { curl_easy_cleanup(curl); }
};
struct SlistDeleter {
  void operator()(curl_slist* list) const noexcept { curl_slist_free_all(list); }
};
using CurlHandle = std::unique_ptr<CURL, CurlDeleter>;
using CurlList = std::unique_ptr<curl_slist, SlistDeleter>;

// curl_global_init is not thread-safe with every TLS backend: every handle's maker calls
// this first, and it runs once per process. Throws std::runtime_error when it fails.
void init_curl_once();

}  // namespace mercato::clients
