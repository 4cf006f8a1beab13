#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "http/rate_limit/client_ip.hpp"

using namespace mercato::http;

namespace {

ClientIpResolver proxies(const std::vector<std::string>& trusted) { return ClientIpResolver(trusted); }

}  // namespace

TEST(ClientIpResolver, UntrustedPeerIgnoresForwardedFor) {
  auto resolver = proxies({"10.0.0.0/8"});
  EXPECT_EQ(resolver.resolve("203.0.113.7", "198.51.100.1"), "203.0.113.7");
  EXPECT_EQ(resolver.resolve("203.0.113.7", std::nullopt), "203.0.113.7");
  EXPECT_EQ(proxies({}).resolve("10.0.0.1", "198.51.100.1"), "10.0.0.1");
}

TEST(ClientIpResolver, TrustedPeerUsesTheRightmostUntrustedEntry) {
  auto resolver = proxies({"10.0.0.1"});
  EXPECT_EQ(resolver.resolve("10.0.0.1", "198.51.100.1"), "198.51.100.1");
  // The client forged the left entries; the proxy appended the real one.
  EXPECT_EQ(resolver.resolve("10.0.0.1", "1.1.1.1, 2.2.2.2,198.51.100.1"), "198.51.100.1");
  EXPECT_EQ(resolver.resolve("10.0.0.1", std::nullopt), "10.0.0.1");
}

TEST(ClientIpResolver, WalksPastAChainOfTrustedProxies) {
  auto resolver = proxies({"10.0.0.0/8", "192.168.1.5", "2001:db8:cafe::/48"});
  EXPECT_EQ(resolver.resolve("10.1.1.1", "6.6.6.6, 198.51.100.1, 192.168.1.5, 10.2.2.2"), "198.51.100.1");
  EXPECT_EQ(resolver.resolve("10.1.1.1", "198.51.100.1,2001:db8:cafe::9 , 10.9.9.9"), "198.51.100.1");
  // Several headers joined with "," read as one list.
  EXPECT_EQ(resolver.resolve("10.1.1.1", "198.51.100.1, 10.3.3.3,10.2.2.2"), "198.51.100.1");
  // Every hop is ours: the request started inside, at the leftmost.
  EXPECT_EQ(resolver.resolve("10.1.1.1", "10.3.3.3, 10.2.2.2"), "10.3.3.3");
}

TEST(ClientIpResolver, MatchesIpv6AndCidrPrefixes) {
  auto resolver = proxies({"::1/128", "fd00::/8", "172.16.0.0/12", "2001:db8::/33"});
  EXPECT_TRUE(resolver.is_trusted("::1"));
  EXPECT_FALSE(resolver.is_trusted("::2"));
  EXPECT_TRUE(resolver.is_trusted("fd12:3456::1"));
  EXPECT_FALSE(resolver.is_trusted("fe80::1"));
  EXPECT_TRUE(resolver.is_trusted("172.16.0.1"));
  EXPECT_TRUE(resolver.is_trusted("172.31.255.255"));
  EXPECT_FALSE(resolver.is_trusted("172.32.0.0"));
  EXPECT_FALSE(resolver.is_trusted("172.15.255.255"));
  EXPECT_TRUE(resolver.is_trusted("2001:db8:7fff::1"));  // bit 33 clear
  EXPECT_FALSE(resolver.is_trusted("2001:db8:8000::1"));
  EXPECT_EQ(resolver.resolve("fd00::5", "2001:DB8:0:0::ffff:1, fd00::6"), "2001:db8::ffff:1");
  EXPECT_EQ(resolver.resolve("::1", "2001:db9::1"), "2001:db9::1");
}

TEST(ClientIpResolver, TreatsIpv4MappedIpv6AsIpv4) {
  auto resolver = proxies({"10.0.0.0/8"});
  EXPECT_TRUE(resolver.is_trusted("::ffff:10.1.2.3"));
  EXPECT_EQ(resolver.resolve("::ffff:10.1.2.3", "::ffff:198.51.100.1"), "198.51.100.1");
  EXPECT_EQ(resolver.resolve("::ffff:203.0.113.7", "198.51.100.1"), "203.0.113.7");
  EXPECT_EQ(proxies({"::ffff:10.0.0.0/104"}).resolve("10.4.4.4", "198.51.100.1"), "198.51.100.1");
  // An IPv4 prefix cannot swallow IPv6: /0 of IPv4 is all IPv4, nothing else.
  auto all_ipv4 = proxies({"0.0.0.0/0"});
  EXPECT_TRUE(all_ipv4.is_trusted("8.8.8.8"));
  EXPECT_FALSE(all_ipv4.is_trusted("2001:db8::1"));
}

TEST(ClientIpResolver, GarbageStopsTheWalkAtTheLastTrustedHop) {
  auto resolver = proxies({"10.0.0.0/8"});
  EXPECT_EQ(resolver.resolve("10.0.0.1", "garbage"), "10.0.0.1");
  EXPECT_EQ(resolver.resolve("10.0.0.1", ""), "10.0.0.1");
  EXPECT_EQ(resolver.resolve("10.0.0.1", "198.51.100.1, unknown"), "10.0.0.1");
  EXPECT_EQ(resolver.resolve("10.0.0.1", "198.51.100.1, 10.0.0.2, "), "10.0.0.1");
  EXPECT_EQ(resolver.resolve("10.0.0.1", "198.51.100.1, bad, 10.0.0.2"), "10.0.0.2");
  EXPECT_EQ(resolver.resolve("10.0.0.1", "1.2.3.4:5678"), "10.0.0.1");
  EXPECT_EQ(resolver.resolve("10.0.0.1", "[2001:db8::1]"), "10.0.0.1");
  EXPECT_EQ(resolver.resolve("10.0.0.1", "1.2.3.04"), "10.0.0.1");
  EXPECT_EQ(resolver.resolve("10.0.0.1", std::string(5000, ',')), "10.0.0.1");
  EXPECT_EQ(resolver.resolve("10.0.0.1", std::string(5000, 'a')), "10.0.0.1");
  // A peer that does not parse is passed through untouched rather than guessed at.
  EXPECT_EQ(resolver.resolve("not-an-ip", "198.51.100.1"), "not-an-ip");
}

TEST(ClientIpResolver, InvalidConfigurationThrowsNamingTheEntry) {
  for (std::string bad : {"", "10.0.0.0/33", "::/129", "10.0.0.0/", "10.0.0.0/-1", "10.0.0.0/8x", "10.0.0.0/ 8",
                          "proxy.internal", "10.0.0", "fe80::1%eth0", "1.2.3.4/8/8", "[::1]"}) {
    try {
      ClientIpResolver resolver({"127.0.0.1", bad});
      ADD_FAILURE() << "accepted '" << bad << "'";
    } catch (const std::invalid_argument& error) {
      EXPECT_NE(std::string(error.what()).find("'" + bad + "'"), std::string::npos) << error.what();
    }
  }
  EXPECT_NO_THROW(ClientIpResolver({"10.0.0.1/8", " 192.168.0.0/16 ", "::/0", "0.0.0.0/0"}));
}
