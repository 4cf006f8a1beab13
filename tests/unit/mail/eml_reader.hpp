#pragma once
// A small, independent reader of the messages the mail code writes, so tests check the
// wire form (CRLF, folding, encodings) rather than trusting the writer's own helpers.

#include <cctype>
#include <map>
#include <string>
#include <string_view>

#include "security/base64.hpp"

namespace mercato::testing {

inline bool crlf_only(std::string_view text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n' && (i == 0 || text[i - 1] != '\r')) return false;
    if (text[i] == '\r' && (i + 1 == text.size() || text[i + 1] != '\n')) return false;
  }
  return true;
}

inline std::string decode_quoted_printable(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '=') {
      out += text[i];
    } else if (text.substr(i + 1, 2) == "\r\n") {
      i += 2;  // soft line break
    } else {
      out += static_cast<char>(std::stoi(std::string(text.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    }
  }
  return out;
}

// Decodes "=?UTF-8?B?...?=" words; whitespace between adjacent words is dropped (RFC 2047 §6.2).
inline std::string decode_header_words(std::string_view value) {
  std::string out;
  std::size_t i = 0;
  bool previous_was_word = false;
  while (i < value.size()) {
    if (value.substr(i, 10) == "=?UTF-8?B?") {
      auto end = value.find("?=", i + 10);
      auto bytes = security::base64_decode(value.substr(i + 10, end - i - 10));
      if (bytes) out.append(bytes->begin(), bytes->end());
      i = end + 2;
      previous_was_word = true;
      continue;
    }
    auto next = value.find("=?UTF-8?B?", i);
    auto gap = value.substr(i, next == std::string_view::npos ? std::string_view::npos : next - i);
    bool blank = gap.find_first_not_of(" \t\r\n") == std::string_view::npos;  // also folding
    if (!(previous_was_word && blank && next != std::string_view::npos)) out += gap;
    i += gap.size();
    previous_was_word = false;
  }
  return out;
}

struct Eml {
  std::map<std::string, std::string> headers;  // lower-case name -> unfolded value
  std::string raw_body;
  std::string body;  // transfer-decoded
};

inline Eml parse_eml(std::string_view text) {
  Eml eml;
  auto split = text.find("\r\n\r\n");
  auto head = text.substr(0, split);
  eml.raw_body = std::string(text.substr(split + 4));
  std::string last;
  std::size_t start = 0;
  while (start <= head.size()) {
    auto end = head.find("\r\n", start);
    auto line = head.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    if (!line.empty() && (line[0] == ' ' || line[0] == '\t')) {
      eml.headers[last] += std::string(line);  // unfold: drop the CRLF, keep the space
    } else if (auto colon = line.find(':'); colon != std::string_view::npos) {
      last.clear();
      for (char c : line.substr(0, colon)) last += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      auto value = line.substr(colon + 1);
      auto first = value.find_first_not_of(' ');
      eml.headers[last] = first == std::string_view::npos ? std::string() : std::string(value.substr(first));
    }
    if (end == std::string_view::npos) break;
    start = end + 2;
  }
  auto encoding = eml.headers["content-transfer-encoding"];
  eml.body = encoding == "quoted-printable" ? decode_quoted_printable(eml.raw_body) : eml.raw_body;
  return eml;
}

}  // namespace mercato::testing
