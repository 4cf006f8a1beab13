#include "mail/smtp_url.hpp"

#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>

#include <stdexcept>

namespace mercato::mail {

namespace {

[[noreturn]] void refuse(const std::string& why) { throw std::invalid_argument("SMTP_URL " + why); }

}  // namespace

SmtpEndpoint parse_smtp_url(std::string_view text) {
  auto parsed = boost::urls::parse_uri(text);
  if (!parsed) refuse("is not a valid URL");
  boost::urls::url url(*parsed);

  SmtpEndpoint endpoint;
  bool implicit = url.scheme() == "smtps";
  if (!implicit && url.scheme() != "smtp") refuse("must start with smtp:// or smtps://");
  if (!url.has_authority() || url.encoded_host().empty()) refuse("has no host");
  if (url.has_fragment()) refuse("must not have a fragment");
  endpoint.has_credentials = url.has_userinfo();

  std::string starttls;
  for (auto param : url.params()) {
    if (param.key != "starttls" || !param.has_value) refuse("has an unknown parameter (only starttls=required|try)");
    starttls = param.value;
  }
  if (implicit && !starttls.empty()) refuse("starttls does not apply to smtps:// (TLS from the start)");
  if (!starttls.empty() && starttls != "required" && starttls != "try") refuse("starttls must be required or try");

  if (implicit)
    endpoint.tls = SmtpTls::implicit;
  else if (starttls == "required" || (starttls.empty() && endpoint.has_credentials))
    endpoint.tls = SmtpTls::required;
  else
    endpoint.tls = SmtpTls::opportunistic;

  // libcurl would send the query as part of the EHLO name, so it only serves us.
  url.remove_query();
  endpoint.curl_url = std::string(url.buffer());
  url.remove_userinfo();
  url.set_encoded_path("");
  endpoint.display = std::string(url.buffer());
  return endpoint;
}

}  // namespace mercato::mail
