#include "mail/rfc5322.hpp"

#include <algorithm>
#include <stdexcept>

#include "core/time_format.hpp"
#include "mail/mime_encoding.hpp"

namespace mercato::mail {

namespace {

constexpr std::size_t max_address_length = 254;  // RFC 5321 §4.5.3.1.3 path limit, less <>

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// A line break would end the header and let the value add headers or a body of its own.
void refuse_line_breaks(std::string_view value, std::string_view field) {
  if (value.find_first_of(std::string_view{"\r\n\0", 3}) != std::string_view::npos)
    throw std::invalid_argument(std::string(field) + " contains a line break");
}

// A deliberately plain dot-atom-ish address: printable ASCII, no specials or spaces that
// could end the SMTP path or the header, one '@' with something on both sides. Quoted
// local parts and domain literals are refused rather than half-supported.
void check_address(std::string_view address, std::string_view field) {
  auto at = address.find('@');
  bool ok = !address.empty() && address.size() <= max_address_length && at != std::string_view::npos && at > 0 &&
            at + 1 < address.size() && address.find('@', at + 1) == std::string_view::npos;
  for (auto c : address) {
    auto u = static_cast<unsigned char>(c);
    ok = ok && u > 32 && u < 127 && std::string_view{"<>()[],;:\\\""}.find(c) == std::string_view::npos;
  }
  if (!ok) throw std::invalid_argument(std::string(field) + " is not a valid email address");
}

bool is_atext_phrase(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == ' ' ||
           std::string_view{"!#$%&'*+-/=?^_`{|}~"}.find(c) != std::string_view::npos;
  });
}

bool is_ascii(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 128; });
}

// The display name as an RFC 5322 phrase: as is, quoted, or as encoded words.
std::string format_display_name(std::string_view name) {
  if (is_atext_phrase(name)) return std::string(name);
  if (!is_ascii(name)) return encode_header_text(name, 78);  // forces encoded words
  std::string quoted = "\"";
  for (char c : name) {
    if (c == '"' || c == '\\') quoted += '\\';
    quoted += c;
  }
  return quoted + "\"";
}

}  // namespace

Mailbox parse_mailbox(std::string_view text, std::string_view field) {
  refuse_line_breaks(text, field);
  text = trim(text);
  Mailbox mailbox;
  if (auto open = text.find('<'); open != std::string_view::npos) {
    if (text.back() != '>') throw std::invalid_argument(std::string(field) + " is not a valid mailbox");
    mailbox.display_name = std::string(trim(text.substr(0, open)));
    if (mailbox.display_name.size() >= 2 && mailbox.display_name.front() == '"' && mailbox.display_name.back() == '"')
      mailbox.display_name = mailbox.display_name.substr(1, mailbox.display_name.size() - 2);
    text = text.substr(open + 1, text.size() - open - 2);
  }
  check_address(text, field);
  mailbox.address = std::string(text);
  return mailbox;
}

std::string rfc5322_date(std::chrono::system_clock::time_point t) {
  auto date = format_http_date(t);  // "Wed, 25 Nov 2026 23:24:30 GMT"; "GMT" is obsolete in RFC 5322
  return date.substr(0, date.size() - 3) + "+0000";
}

MessageComposer::MessageComposer(std::string_view from, const Clock& clock, security::RandomSource& random)
    : sender_(parse_mailbox(from, "From")), clock_(clock), random_(random) {
  from_header_ = sender_.display_name.empty()
                     ? sender_.address
                     : format_display_name(sender_.display_name) + " <" + sender_.address + ">";
}

ComposedMessage MessageComposer::compose(const domain::EmailMessage& message) const {
  refuse_line_breaks(message.to, "To");
  refuse_line_breaks(message.subject, "Subject");
  check_address(message.to, "To");

  ComposedMessage composed;
  composed.id = security::random_hex(random_, 16);
  // The sender's domain rather than a fixed name: receivers' spam scoring likes a
  // Message-ID that matches the From domain, and 128 random bits keep it unique.
  auto domain = sender_.address.substr(sender_.address.rfind('@') + 1);
  auto body = normalize_line_endings(message.text_body);
  // 7bit when possible, so a verification link stays byte-for-byte copy-pasteable from the
  // raw message; quoted-printable (which must escape "=") only for non-ASCII or overlong lines.
  bool plain = is_7bit_text(body);

  std::string& out = composed.text;
  out.reserve(body.size() + 512);
  out += "Date: " + rfc5322_date(clock_.now()) + "\r\n";
  out += "From: " + from_header_ + "\r\n";
  out += "To: " + message.to + "\r\n";
  out += "Subject: " + encode_header_text(message.subject, 8) + "\r\n";
  out += "Message-ID: <" + composed.id + "@" + domain + ">\r\n";
  out += "MIME-Version: 1.0\r\n";
  out += "Content-Type: text/plain; charset=utf-8\r\n";
  out += plain ? "Content-Transfer-Encoding: 7bit\r\n" : "Content-Transfer-Encoding: quoted-printable\r\n";
  out += "\r\n";
  out += plain ? body : encode_quoted_printable(body);
  return composed;
}

}  // namespace mercato::mail
