#pragma once
// Works out the client's address for rate limiting: the peer, unless the peer is a trusted proxy
// (TRUSTED_PROXIES), in which case the nearest untrusted hop of X-Forwarded-For.

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mercato::http {

class ClientIpResolver {
 public:
  // Each entry an IPv4/IPv6 address or CIDR (10.0.0.0/8, ::1/128, fd00::/8). Host bits past the
  // prefix are ignored. Throws std::invalid_argument naming the first bad entry.
  explicit ClientIpResolver(const std::vector<std::string>& trusted_proxies);

  // The answer is in one canonical text form (IPv4-mapped IPv6 as plain IPv4, IPv6 as inet_ntop
  // writes it), so that spellings of one address share a rate-limit key. A peer that does not
  // parse is returned unchanged.
  std::string resolve(std::string_view peer_address, std::optional<std::string_view> x_forwarded_for) const;

  bool is_trusted(std::string_view address) const;

 private:
  // Every address is held as 16 bytes, IPv4 as IPv4-mapped IPv6, so one comparison covers both.
  using Bytes = std::array<unsigned char, 16>;
  struct Network {
    Bytes bytes;
    int prefix_bits;
  };

  bool is_trusted(const Bytes& address) const;

  std::vector<Network> trusted_;
};

}  // namespace mercato::http
