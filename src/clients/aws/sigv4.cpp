#include "clients/aws/sigv4.hpp"

#include <algorithm>
#include <boost/url/parse.hpp>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <map>
#include <stdexcept>
#include <vector>

#include "security/digest.hpp"

namespace mercato::clients::aws {

namespace {

constexpr std::string_view algorithm = "AWS4-HMAC-SHA256";

bool unreserved(unsigned char c) {
  return std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~';
}

// RFC 3986 percent-encoding of everything but the unreserved characters, as SigV4 wants.
std::string uri_encode(std::string_view text) {
  static constexpr char digits[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (unreserved(c)) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(digits[c >> 4]);
      out.push_back(digits[c & 0x0f]);
    }
  }
  return out;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Decodes %XX only ('+' stays a plus): a URL's path and query as the server will read them.
std::string uri_decode(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 && hex_value(text[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2])));
      i += 2;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    auto end = text.find(separator, start);
    parts.push_back(text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos) return parts;
    start = end + 1;
  }
}

// Each segment normalised to one encoding; the path itself is not normalised (no "..").
std::string canonical_uri(std::string_view encoded_path) {
  if (encoded_path.empty()) return "/";
  std::string out;
  bool first = true;
  for (auto segment : split(encoded_path, '/')) {
    if (!first) out.push_back('/');
    out += uri_encode(uri_decode(segment));
    first = false;
  }
  return out;
}

std::string canonical_query(std::string_view encoded_query) {
  std::vector<std::pair<std::string, std::string>> pairs;
  for (auto item : split(encoded_query, '&')) {
    if (item.empty()) continue;
    auto equals = item.find('=');
    auto name = item.substr(0, equals);
    auto value = equals == std::string_view::npos ? std::string_view{} : item.substr(equals + 1);
    pairs.emplace_back(uri_encode(uri_decode(name)), uri_encode(uri_decode(value)));
  }
  std::sort(pairs.begin(), pairs.end());
  std::string out;
  for (const auto& [name, value] : pairs) {
    if (!out.empty()) out.push_back('&');
    out += name + "=" + value;
  }
  return out;
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Leading and trailing blanks removed, inner runs of blanks made one space.
std::string trimmed_value(std::string_view value) {
  std::string out;
  bool blank = false;
  for (char c : value) {
    if (c == ' ' || c == '\t') {
      blank = true;
      continue;
    }
    if (blank && !out.empty()) out.push_back(' ');
    blank = false;
    out.push_back(c);
  }
  return out;
}

// The Host header the transport will send: the port only when it is not the scheme's default.
std::string host_of(const boost::urls::url_view& url) {
  std::string host{std::string_view(url.encoded_host())};
  if (!url.has_port()) return host;
  std::string_view port = url.port();
  std::string_view scheme = url.scheme();
  bool default_port = (scheme == "https" && port == "443") || (scheme == "http" && port == "80");
  return default_port ? host : host + ":" + std::string(port);
}

// Lower-case name → value; values of a repeated header joined with commas, as sent.
std::map<std::string, std::string> headers_to_sign(const HttpCall& call, const boost::urls::url_view& url) {
  std::map<std::string, std::string> headers;
  for (const auto& [name, value] : call.headers) {
    auto key = lower(name);
    if (key == "authorization") continue;  // a call being signed again
    auto& slot = headers[key];
    if (!slot.empty()) slot.push_back(',');
    slot += trimmed_value(value);
  }
  if (!headers.contains("host")) headers["host"] = host_of(url);
  return headers;
}

std::string header_value(const HttpCall& call, std::string_view name) {
  for (const auto& [key, value] : call.headers)
    if (lower(key) == name) return value;
  return {};
}

security::Sha256Digest signing_key(const Credentials& credentials, std::string_view date, const SigningScope& scope) {
  auto key = security::hmac_sha256(security::byte_view("AWS4" + credentials.secret_access_key), date);
  key = security::hmac_sha256(key, scope.region);
  key = security::hmac_sha256(key, scope.service);
  return security::hmac_sha256(key, "aws4_request");
}

}  // namespace

Signature signature_of(const HttpCall& call, const Credentials& credentials, const SigningScope& scope) {
  auto parsed = boost::urls::parse_uri(call.url);
  if (!parsed) throw std::invalid_argument("sigv4: the URL cannot be parsed");
  auto timestamp = header_value(call, "x-amz-date");
  if (timestamp.size() != 16) throw std::invalid_argument("sigv4: the call carries no X-Amz-Date");
  auto date = timestamp.substr(0, 8);

  auto headers = headers_to_sign(call, *parsed);
  std::string canonical_headers;
  std::string signed_headers;
  for (const auto& [name, value] : headers) {
    canonical_headers += name + ":" + value + "\n";
    if (!signed_headers.empty()) signed_headers.push_back(';');
    signed_headers += name;
  }

  Signature out;
  out.canonical_request = call.method + "\n" + canonical_uri(std::string_view(parsed->encoded_path())) + "\n" +
                          canonical_query(std::string_view(parsed->encoded_query())) + "\n" + canonical_headers + "\n" +
                          signed_headers + "\n" + security::sha256_hex(call.body);
  auto credential_scope = date + "/" + scope.region + "/" + scope.service + "/aws4_request";
  out.string_to_sign = std::string(algorithm) + "\n" + timestamp + "\n" + credential_scope + "\n" +
                       security::sha256_hex(out.canonical_request);
  auto signature = security::hmac_sha256_hex(signing_key(credentials, date, scope), out.string_to_sign);
  out.authorization = std::string(algorithm) + " Credential=" + credentials.access_key_id + "/" + credential_scope +
                      ", SignedHeaders=" + signed_headers + ", Signature=" + signature;
  return out;
}

void sign(HttpCall& call, const Credentials& credentials, const SigningScope& scope, const Clock& clock) {
  call.headers.emplace_back("X-Amz-Date", amz_date(clock.now()));
  if (!credentials.session_token.empty()) call.headers.emplace_back("X-Amz-Security-Token", credentials.session_token);
  call.headers.emplace_back("Authorization", signature_of(call, credentials, scope).authorization);
}

std::string amz_date(std::chrono::system_clock::time_point time) {
  auto seconds = std::chrono::floor<std::chrono::seconds>(time);
  auto day = std::chrono::floor<std::chrono::days>(seconds);
  std::chrono::year_month_day ymd{day};
  std::chrono::hh_mm_ss clock{seconds - day};
  char text[17];
  std::snprintf(text, sizeof text, "%04d%02u%02uT%02d%02d%02dZ", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(clock.hours().count()), static_cast<int>(clock.minutes().count()),
                static_cast<int>(clock.seconds().count()));
  return text;
}

}  // namespace mercato::clients::aws
