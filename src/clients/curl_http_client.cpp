#include "clients/curl_http_client.hpp"

#include "clients/curl_handles.hpp"

#include <cctype>
#include <memory>
#include <mutex>

namespace mercato::clients {

namespace {

struct Receiver {
  HttpReply reply;
  std::size_t limit = 0;
  bool overflowed = false;
};

std::size_t receive_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto& receiver = *static_cast<Receiver*>(user);
  auto n = size * count;
  if (receiver.reply.body.size() + n > receiver.limit) {
    receiver.overflowed = true;
    return 0;  // makes libcurl stop with CURLE_WRITE_ERROR
  }
  receiver.reply.body.append(data, n);
  return n;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == '\r' || text.back() == '\n' || text.back() == ' ')) text.remove_suffix(1);
  return text;
}

std::size_t receive_header(char* data, std::size_t size, std::size_t count, void* user) {
  auto& receiver = *static_cast<Receiver*>(user);
  std::string_view line(data, size * count);
  // A new status line (after a 100 Continue) starts a new set of headers.
  if (line.starts_with("HTTP/")) receiver.reply.headers.clear();
  auto colon = line.find(':');
  if (colon != std::string_view::npos)
    receiver.reply.headers.emplace_back(std::string(trim(line.substr(0, colon))), std::string(trim(line.substr(colon + 1))));
  return size * count;
}

template <class Value>
void set(CURL* curl, CURLoption option, Value value) {
  if (curl_easy_setopt(curl, option, value) != CURLE_OK) throw HttpTransportError("http: libcurl refused an option");
}

// One easy handle per thread, reset before each call: the reset keeps the handle's
// connection cache, so calls to the same host (Stripe) reuse a kept-alive TLS connection
// instead of paying a handshake each time.
CURL* thread_handle() {
  init_curl_once();
  thread_local CurlHandle handle{curl_easy_init()};
  if (!handle) throw HttpTransportError("http: out of memory");
  curl_easy_reset(handle.get());
  return handle.get();
}

}  // namespace

std::optional<std::string> HttpReply::header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (key.size() != name.size()) continue;
    bool same = true;
    for (std::size_t i = 0; i < key.size() && same; ++i)
      same = std::tolower(static_cast<unsigned char>(key[i])) == std::tolower(static_cast<unsigned char>(name[i]));
    if (same) return value;
  }
  return std::nullopt;
}

// libcurl (and OpenSSL behind it) is set up on the first call, not at construction: a
// process that never calls out starts as fast as before.
CurlHttpClient::CurlHttpClient(std::size_t max_reply_bytes) : max_reply_bytes_(max_reply_bytes) {}

HttpReply CurlHttpClient::send(const HttpCall& call) {
  CURL* c = thread_handle();
  curl_slist* raw_headers = nullptr;
  for (const auto& [name, value] : call.headers) {
    auto* next = curl_slist_append(raw_headers, (name + ": " + value).c_str());
    if (!next) {
      curl_slist_free_all(raw_headers);
      throw HttpTransportError("http: out of memory");
    }
    raw_headers = next;
  }
  CurlList headers{raw_headers};
  Receiver receiver;
  receiver.limit = max_reply_bytes_;

  set(c, CURLOPT_URL, call.url.c_str());
  set(c, CURLOPT_PROTOCOLS_STR, "http,https");
  set(c, CURLOPT_FOLLOWLOCATION, 0L);
  set(c, CURLOPT_SSL_VERIFYPEER, 1L);
  set(c, CURLOPT_SSL_VERIFYHOST, 2L);
  set(c, CURLOPT_SSLVERSION, static_cast<long>(CURL_SSLVERSION_TLSv1_2));
  set(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(call.connect_timeout.count()));
  set(c, CURLOPT_TIMEOUT_MS, static_cast<long>(call.total_timeout.count()));
  set(c, CURLOPT_NOSIGNAL, 1L);  // we run on worker threads: no SIGALRM for DNS timeouts
  set(c, CURLOPT_HTTPHEADER, headers.get());
  set(c, CURLOPT_WRITEFUNCTION, &receive_body);
  set(c, CURLOPT_WRITEDATA, &receiver);
  set(c, CURLOPT_HEADERFUNCTION, &receive_header);
  set(c, CURLOPT_HEADERDATA, &receiver);
  if (call.method == "POST" || !call.body.empty()) {
    set(c, CURLOPT_POSTFIELDS, call.body.c_str());
    set(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(call.body.size()));
  }
  if (call.method != "GET" && call.method != "POST") set(c, CURLOPT_CUSTOMREQUEST, call.method.c_str());

  auto rc = curl_easy_perform(c);
  if (receiver.overflowed) throw HttpTransportError("http: the answer exceeded " + std::to_string(max_reply_bytes_) + " bytes");
  // curl_easy_strerror only: the URL or the answer may hold what the log must not.
  if (rc != CURLE_OK) throw HttpTransportError(std::string("http: ") + curl_easy_strerror(rc));
  if (curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &receiver.reply.status) != CURLE_OK)
    throw HttpTransportError("http: no status in the answer");
  return std::move(receiver.reply);
}

}  // namespace mercato::clients
