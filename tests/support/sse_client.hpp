#pragma once
// A blocking test client for streamed answers (Server-Sent Events over HTTP/1.1 chunked):
// reads the header, then chunk by chunk, checking the chunked framing byte for byte, and
// tells a last chunk (0\r\n\r\n) apart from the server closing. Plus a parser of SSE text.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "support/http_client.hpp"

namespace mercato::test {

class SseClient {
 public:
  // Connects to 127.0.0.1:port. `receive_buffer` > 0 sets SO_RCVBUF before connecting (a
  // client that reads slowly).
  explicit SseClient(std::uint16_t port, int receive_buffer = 0);
  SseClient(const SseClient&) = delete;
  SseClient& operator=(const SseClient&) = delete;
  ~SseClient();

  bool connected() const noexcept { return fd_ >= 0; }
  bool send(std::string_view bytes);
  // Sends "GET target HTTP/1.1" with Host and the extra header lines (each ending "\r\n").
  bool get(std::string_view target, std::string_view extra_headers = {});
  // The status line and header fields; nullopt when the connection ends or time runs out.
  // A body the header frames by Content-Length is read too (for answers that are not streams).
  std::optional<RawResponse> read_header(std::chrono::milliseconds timeout = std::chrono::seconds(5));

  enum class Kind { data, last_chunk, closed, timeout, malformed };
  struct Piece {
    Kind kind;
    std::string data;  // the chunk's bytes for Kind::data
  };
  // The next chunk of a chunked body.
  Piece next_chunk(std::chrono::milliseconds timeout);
  // Reads chunks until the decoded body (body()) contains `needle` at or after `from`.
  // False when the stream ended, was malformed, or time ran out first.
  bool read_until(std::string_view needle, std::chrono::milliseconds timeout = std::chrono::seconds(5),
                  std::size_t from = 0);
  // Reads what comes without chunked decoding (an HTTP/1.0 stream) until `needle`.
  bool read_raw_until(std::string_view needle, std::chrono::milliseconds timeout = std::chrono::seconds(5));
  // Reads (and decodes, when chunked) until the server closes: true if it did in time.
  bool wait_closed(std::chrono::milliseconds timeout = std::chrono::seconds(5));

  const std::string& body() const noexcept { return body_; }  // decoded so far
  const std::vector<std::string>& chunks() const noexcept { return chunks_; }
  bool saw_last_chunk() const noexcept { return last_chunk_; }
  bool closed_by_server() const noexcept { return eof_; }
  bool malformed() const noexcept { return malformed_; }
  const std::string& framing_error() const noexcept { return framing_error_; }
  void close();  // our end, at once

 private:
  enum class Fill { more, eof, timeout };
  Fill fill(std::chrono::steady_clock::time_point deadline);

  int fd_ = -1;
  std::string buffer_;  // received, not yet consumed
  std::string body_;
  std::vector<std::string> chunks_;
  bool last_chunk_ = false;
  bool eof_ = false;
  bool malformed_ = false;
  std::string framing_error_;
};

struct SseEvent {
  std::string id;
  std::string event;
  std::string data;  // "data:" lines joined by "\n"
  bool has_data = false;  // at least one "data:" line (maybe empty)
  std::string retry;
  std::vector<std::string> comments;  // lines starting with ':'
};

// Splits SSE text into its blocks (each ended by an empty line); an unfinished last block
// is left out. Lines end with CRLF, LF or a lone CR, as EventSource reads them (the server
// writes LF only: a CR that slipped into its text shows here as a line end, as in a browser).
std::vector<SseEvent> parse_sse(std::string_view text);
// Only the blocks with an "event:" or "data:" (no comments, no bare retry).
std::vector<SseEvent> sse_events(std::string_view text);

}  // namespace mercato::test
