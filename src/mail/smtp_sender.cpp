#include "mail/smtp_sender.hpp"

#include "clients/curl_handles.hpp"

#include <cstring>
#include <memory>
#include <mutex>
#include <stdexcept>

namespace mercato::mail {

namespace {

// The message text handed to libcurl piece by piece during DATA.
struct Upload {
  std::string_view text;
  std::size_t offset = 0;
};

std::size_t read_upload(char* buffer, std::size_t size, std::size_t count, void* user) {
  auto& upload = *static_cast<Upload*>(user);
  auto n = std::min(size * count, upload.text.size() - upload.offset);
  std::memcpy(buffer, upload.text.data() + upload.offset, n);
  upload.offset += n;
  return n;
}

template <class Value>
void set(CURL* curl, CURLoption option, Value value) {
  if (curl_easy_setopt(curl, option, value) != CURLE_OK) throw MailError("smtp: libcurl refused an option");
}

long curl_tls_mode(SmtpTls tls) {
  // smtps:// starts with TLS whatever this says; ALL also makes libcurl insist on it.
  return tls == SmtpTls::opportunistic ? CURLUSESSL_TRY : CURLUSESSL_ALL;
}

}  // namespace

SmtpSender::SmtpSender(SmtpOptions options, const Clock& clock, security::RandomSource& random)
    : endpoint_(parse_smtp_url(options.url)),
      composer_(options.from, clock, random),
      connect_timeout_(options.connect_timeout),
      total_timeout_(options.total_timeout) {
  clients::init_curl_once();
}

void SmtpSender::send(const domain::EmailMessage& message) {
  ComposedMessage composed;
  try {
    composed = composer_.compose(message);  // validates To before it reaches RCPT TO
  } catch (const std::invalid_argument& e) {
    throw MailError(e.what(), true);
  }
  clients::CurlHandle curl{curl_easy_init()};
  clients::CurlList recipients{curl_slist_append(nullptr, message.to.c_str())};
  if (!curl || !recipients) throw MailError("smtp: out of memory");
  Upload upload{composed.text};

  CURL* c = curl.get();
  set(c, CURLOPT_URL, endpoint_.curl_url.c_str());
  set(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  set(c, CURLOPT_USE_SSL, curl_tls_mode(endpoint_.tls));
  set(c, CURLOPT_SSL_VERIFYPEER, 1L);
  set(c, CURLOPT_SSL_VERIFYHOST, 2L);
  set(c, CURLOPT_SSLVERSION, static_cast<long>(CURL_SSLVERSION_TLSv1_2));
  set(c, CURLOPT_MAIL_FROM, composer_.sender_address().c_str());
  set(c, CURLOPT_MAIL_RCPT, recipients.get());
  set(c, CURLOPT_UPLOAD, 1L);
  set(c, CURLOPT_READFUNCTION, &read_upload);
  set(c, CURLOPT_READDATA, &upload);
  set(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(connect_timeout_.count()));
  set(c, CURLOPT_TIMEOUT_MS, static_cast<long>(total_timeout_.count()));
  set(c, CURLOPT_NOSIGNAL, 1L);  // no SIGALRM for DNS timeouts: we run on a worker thread

  auto rc = curl_easy_perform(c);
  if (rc == CURLE_OK) return;
  // curl_easy_strerror and the reply code only: the error buffer may quote the server's
  // reply, which can echo the recipient address.
  long reply = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &reply);
  std::string what = std::string("smtp: ") + curl_easy_strerror(rc);
  if (reply != 0) what += " (server replied " + std::to_string(reply) + ")";
  throw MailError(what);
}

}  // namespace mercato::mail
