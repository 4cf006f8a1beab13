#pragma once
// MIME encodings for outgoing text mail: line-ending normalisation, the 7bit test,
// quoted-printable bodies (RFC 2045 §6.7) and RFC 2047 encoded words for header text.

#include <string>
#include <string_view>

namespace mercato::mail {

// CRLF for every line break (LF, CR or CRLF in the input), and a final CRLF, as SMTP and
// RFC 5322 require.
std::string normalize_line_endings(std::string_view text);

// True when CRLF-normalised text may travel as-is under "7bit": ASCII without NUL and no
// line over 998 octets (RFC 5322 §2.1.1). Such a body needs no encoding at all.
bool is_7bit_text(std::string_view crlf_text);

// Quoted-printable of CRLF-normalised text: hard line breaks kept, lines at most 76
// characters with soft breaks ("=" CRLF) only where a line is longer.
std::string encode_quoted_printable(std::string_view crlf_text);

// Header text as it may appear in a header: unchanged when it is printable ASCII that fits
// on one line after a header name of `name_length` characters; otherwise UTF-8 "B" encoded
// words (=?UTF-8?B?...?=), split on character boundaries and folded with CRLF SP so that
// no line exceeds 78 characters.
std::string encode_header_text(std::string_view text, std::size_t name_length);

}  // namespace mercato::mail
