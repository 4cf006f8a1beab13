#include "mail/mime_encoding.hpp"

#include <gtest/gtest.h>

#include "unit/mail/eml_reader.hpp"

using namespace mercato::mail;
using mercato::testing::decode_quoted_printable;

namespace {

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  for (std::size_t start = 0, end; start < text.size(); start = end + 2) {
    end = text.find("\r\n", start);
    if (end == std::string::npos) end = text.size();
    lines.push_back(text.substr(start, end - start));
  }
  return lines;
}

TEST(MailMimeEncoding, SevenBitNeedsAsciiAndShortLines) {
  EXPECT_TRUE(is_7bit_text("Hello\r\nhttps://x.example/?token=abc\r\n"));
  EXPECT_FALSE(is_7bit_text("Grüße\r\n"));
  EXPECT_FALSE(is_7bit_text(std::string("a\0b\r\n", 5)));
  EXPECT_TRUE(is_7bit_text(std::string(998, 'a') + "\r\n"));
  EXPECT_FALSE(is_7bit_text(std::string(999, 'a') + "\r\n"));
  EXPECT_FALSE(is_7bit_text("bare\nnewline\r\n"));
}

TEST(MailMimeEncoding, QuotedPrintableKeepsLinesWithin76AndRoundTrips) {
  std::string text = "Grüße " + std::string(200, 'x') + " €\r\nshort line \r\n\r\n= sign\ttab\t\r\n";
  auto encoded = encode_quoted_printable(text);
  for (const auto& line : lines_of(encoded)) EXPECT_LE(line.size(), 76u) << line;
  EXPECT_TRUE(mercato::testing::crlf_only(encoded));
  EXPECT_EQ(decode_quoted_printable(encoded), text);
  EXPECT_NE(encoded.find("short line=20\r\n"), std::string::npos);  // trailing space is protected
  EXPECT_NE(encoded.find("tab=09\r\n"), std::string::npos);
  EXPECT_NE(encoded.find("=3D sign"), std::string::npos);
}

TEST(MailMimeEncoding, QuotedPrintableBreaksOnlyWhereNeeded) {
  std::string line76(76, 'a');
  EXPECT_EQ(encode_quoted_printable(line76 + "\r\n"), line76 + "\r\n");
  EXPECT_EQ(encode_quoted_printable(line76 + "b\r\n"), std::string(75, 'a') + "=\r\nab\r\n");
  // An escape is never split across a soft break.
  auto encoded = encode_quoted_printable(std::string(74, 'a') + "é\r\n");
  for (const auto& line : lines_of(encoded)) EXPECT_LE(line.size(), 76u);
  EXPECT_EQ(decode_quoted_printable(encoded), std::string(74, 'a') + "é\r\n");
}

TEST(MailMimeEncoding, HeaderTextStaysPlainWhenItCan) {
  EXPECT_EQ(encode_header_text("Your order #42 has shipped", 8), "Your order #42 has shipped");
  EXPECT_EQ(encode_header_text("Olá", 8), "=?UTF-8?B?T2zDoQ==?=");
}

TEST(MailMimeEncoding, EncodedWordsNeverSplitACharacter) {
  std::string text;
  for (int i = 0; i < 40; ++i) text += "€";  // three bytes each
  auto encoded = encode_header_text(text, 8);
  for (const auto& line : lines_of(encoded)) {
    auto word = line.substr(line.find("=?"));
    EXPECT_LE(word.size(), 75u);
    auto decoded = mercato::testing::decode_header_words(word);
    EXPECT_EQ(decoded.size() % 3, 0u);  // whole euro signs only
  }
  EXPECT_EQ(mercato::testing::decode_header_words(encoded), text);
}

TEST(MailMimeEncoding, NormalisesLineEndings) {
  EXPECT_EQ(normalize_line_endings("a\nb\rc\r\nd"), "a\r\nb\r\nc\r\nd\r\n");
  EXPECT_EQ(normalize_line_endings(""), "\r\n");
  EXPECT_EQ(normalize_line_endings("x\r\n"), "x\r\n");
}

}  // namespace
