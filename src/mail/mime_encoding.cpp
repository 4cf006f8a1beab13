#include "mail/mime_encoding.hpp"

#include <cstdint>
#include <span>
#include <vector>

#include "security/base64.hpp"

namespace mercato::mail {

namespace {

constexpr std::size_t max_line_octets = 998;    // RFC 5322 §2.1.1, without the CRLF
constexpr std::size_t max_qp_line = 76;         // RFC 2045 §6.7 rule 5
constexpr std::size_t header_line_target = 78;  // RFC 5322 §2.1.1 "SHOULD"
// 36 octets make 48 base64 characters, a 60-character encoded word: with "Subject: " in
// front or a folding space, a line stays well under 78 characters.
constexpr std::size_t encoded_word_octets = 36;

bool is_utf8_continuation(unsigned char c) { return (c & 0xC0) == 0x80; }

std::string hex_escape(unsigned char c) {
  static constexpr char digits[] = "0123456789ABCDEF";
  return {'=', digits[c >> 4], digits[c & 0x0F]};
}

// One line (no CRLF) as quoted-printable tokens: a literal character or an =XX escape.
std::vector<std::string> qp_tokens(std::string_view line) {
  std::vector<std::string> tokens;
  tokens.reserve(line.size());
  for (std::size_t i = 0; i < line.size(); ++i) {
    auto c = static_cast<unsigned char>(line[i]);
    bool last = i + 1 == line.size();
    bool literal = (c >= 33 && c <= 126 && c != '=') || ((c == ' ' || c == '\t') && !last);
    tokens.push_back(literal ? std::string(1, static_cast<char>(c)) : hex_escape(c));
  }
  return tokens;
}

}  // namespace

std::string normalize_line_endings(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 32 + 2);
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\r') {
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
      out += "\r\n";
    } else if (c == '\n') {
      out += "\r\n";
    } else {
      out += c;
    }
  }
  if (out.size() < 2 || out.compare(out.size() - 2, 2, "\r\n") != 0) out += "\r\n";
  return out;
}

bool is_7bit_text(std::string_view crlf_text) {
  std::size_t line_length = 0;
  for (std::size_t i = 0; i < crlf_text.size(); ++i) {
    auto c = static_cast<unsigned char>(crlf_text[i]);
    if (c == 0 || c > 127) return false;
    if (c == '\r' && i + 1 < crlf_text.size() && crlf_text[i + 1] == '\n') {
      line_length = 0;
      ++i;
    } else if (c == '\r' || c == '\n' || ++line_length > max_line_octets) {
      return false;
    }
  }
  return true;
}

std::string encode_quoted_printable(std::string_view crlf_text) {
  std::string out;
  std::size_t start = 0;
  while (start < crlf_text.size()) {
    auto end = crlf_text.find("\r\n", start);
    bool has_break = end != std::string_view::npos;
    auto tokens = qp_tokens(crlf_text.substr(start, has_break ? end - start : std::string_view::npos));
    std::size_t column = 0;
    for (std::size_t i = 0; i < tokens.size(); ++i) {
      // The last token may use column 76; any other must leave room for the soft break.
      std::size_t limit = i + 1 == tokens.size() ? max_qp_line : max_qp_line - 1;
      if (column + tokens[i].size() > limit) {
        out += "=\r\n";
        column = 0;
      }
      out += tokens[i];
      column += tokens[i].size();
    }
    if (!has_break) break;
    out += "\r\n";
    start = end + 2;
  }
  return out;
}

std::string encode_header_text(std::string_view text, std::size_t name_length) {
  bool plain = name_length + 2 + text.size() <= header_line_target && text.find("=?") == std::string_view::npos;
  for (auto c : text) plain = plain && static_cast<unsigned char>(c) >= 32 && static_cast<unsigned char>(c) < 127;
  if (plain) return std::string(text);

  std::string out;
  std::size_t start = 0;
  do {
    std::size_t length = std::min(encoded_word_octets, text.size() - start);
    // Never split a UTF-8 sequence: each encoded word must decode on its own (RFC 2047 §5).
    while (start + length < text.size() && length > 0 &&
           is_utf8_continuation(static_cast<unsigned char>(text[start + length])))
      --length;
    if (length == 0) length = std::min(encoded_word_octets, text.size() - start);  // not UTF-8 anyway
    auto chunk = text.substr(start, length);
    std::span<const std::uint8_t> bytes{reinterpret_cast<const std::uint8_t*>(chunk.data()), chunk.size()};
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + security::base64_encode(bytes) + "?=";
    start += length;
  } while (start < text.size());
  return out;
}

}  // namespace mercato::mail
