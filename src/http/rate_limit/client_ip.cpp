#include "http/rate_limit/client_ip.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>
#include <stdexcept>

namespace mercato::http {

namespace {

using Bytes = std::array<unsigned char, 16>;

constexpr int mapped_prefix_bits = 96;  // ::ffff:0:0/96 holds the IPv4-mapped addresses
constexpr std::array<unsigned char, 12> mapped_prefix = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

bool is_mapped_ipv4(const Bytes& bytes) {
  return std::equal(mapped_prefix.begin(), mapped_prefix.end(), bytes.begin());
}

struct Parsed {
  Bytes bytes;
  bool written_as_ipv4;  // decides whether a CIDR prefix counts from bit 0 or bit 96
};

// inet_pton, not a regex: it is what the kernel accepts, and rejects zone ids, ports and brackets.
std::optional<Parsed> parse_address(std::string_view text) {
  if (text.empty() || text.size() > INET6_ADDRSTRLEN) return std::nullopt;
  std::string terminated{text};  // inet_pton wants a C string
  Parsed out{};
  if (inet_pton(AF_INET, terminated.c_str(), out.bytes.data() + 12) == 1) {
    std::copy(mapped_prefix.begin(), mapped_prefix.end(), out.bytes.begin());
    out.written_as_ipv4 = true;
    return out;
  }
  if (inet_pton(AF_INET6, terminated.c_str(), out.bytes.data()) == 1) return out;
  return std::nullopt;
}

std::string format_address(const Bytes& bytes) {
  char text[INET6_ADDRSTRLEN] = {};
  if (is_mapped_ipv4(bytes))
    inet_ntop(AF_INET, bytes.data() + 12, text, sizeof text);
  else
    inet_ntop(AF_INET6, bytes.data(), text, sizeof text);
  return text;
}

bool prefix_matches(const Bytes& address, const Bytes& network, int prefix_bits) {
  auto whole = static_cast<std::size_t>(prefix_bits / 8);
  if (!std::equal(network.begin(), network.begin() + whole, address.begin())) return false;
  int rest = prefix_bits % 8;
  if (rest == 0) return true;
  auto mask = static_cast<unsigned char>(0xff << (8 - rest));
  return (address[whole] & mask) == (network[whole] & mask);
}

std::string_view trim(std::string_view text) {
  constexpr std::string_view blanks = " \t";
  auto first = text.find_first_not_of(blanks);
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(blanks) - first + 1);
}

std::invalid_argument bad_entry(const std::string& entry, std::string_view why) {
  return std::invalid_argument("TRUSTED_PROXIES: '" + entry + "' " + std::string{why});
}

}  // namespace

ClientIpResolver::ClientIpResolver(const std::vector<std::string>& trusted_proxies) {
  for (const auto& entry : trusted_proxies) {
    auto text = trim(entry);
    auto slash = text.find('/');
    auto parsed = parse_address(text.substr(0, slash));
    if (!parsed) throw bad_entry(entry, "is not an IPv4 or IPv6 address or CIDR");
    int max_bits = parsed->written_as_ipv4 ? 32 : 128;
    int bits = max_bits;
    if (slash != std::string_view::npos) {
      auto digits = text.substr(slash + 1);
      auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), bits);
      if (digits.empty() || error != std::errc{} || end != digits.data() + digits.size() || bits < 0 || bits > max_bits)
        throw bad_entry(entry, "has a prefix length outside 0 to " + std::to_string(max_bits));
    }
    trusted_.push_back({parsed->bytes, parsed->written_as_ipv4 ? bits + mapped_prefix_bits : bits});
  }
}

bool ClientIpResolver::is_trusted(const Bytes& address) const {
  return std::any_of(trusted_.begin(), trusted_.end(), [&](const Network& network) {
    return prefix_matches(address, network.bytes, network.prefix_bits);
  });
}

bool ClientIpResolver::is_trusted(std::string_view address) const {
  auto parsed = parse_address(trim(address));
  return parsed && is_trusted(parsed->bytes);
}

std::string ClientIpResolver::resolve(std::string_view peer_address,
                                      std::optional<std::string_view> x_forwarded_for) const {
  auto peer = parse_address(trim(peer_address));
  if (!peer) return std::string{peer_address};
  // Anyone can write X-Forwarded-For; only a hop we trust may tell us who came before it.
  if (!is_trusted(peer->bytes) || !x_forwarded_for) return format_address(peer->bytes);

  // Proxies append, so the right end is the most trustworthy; walk left past our own proxies.
  auto last_trusted = peer->bytes;
  std::string_view rest = *x_forwarded_for;
  while (true) {
    auto comma = rest.rfind(',');
    auto hop = parse_address(trim(comma == std::string_view::npos ? rest : rest.substr(comma + 1)));
    // Left of garbage nothing can be trusted, so the last hop we do trust speaks for the client.
    if (!hop) break;
    if (!is_trusted(hop->bytes)) return format_address(hop->bytes);
    last_trusted = hop->bytes;
    if (comma == std::string_view::npos) break;
    rest = rest.substr(0, comma);
  }
  return format_address(last_trusted);
}

}  // namespace mercato::http
