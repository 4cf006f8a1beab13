// A barrage of random and mangled requests: the server must neither crash nor stop serving.

#include <cstdint>
#include <random>

#include "integration/server/server_fixture.hpp"

namespace mercato::test {
namespace {

constexpr int rounds = 300;

// Random bytes, or a valid request with a few bytes replaced, dropped or duplicated, so that
// the parser is driven deep into its states and not just refused on the first byte.
std::string garbage(std::mt19937& random) {
  static const std::string valid =
      "POST /api/orders?x=1 HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\n"
      "Transfer-Encoding: chunked\r\n\r\n4\r\n{}{}\r\n0\r\n\r\n";
  std::uniform_int_distribution<int> byte(0, 255);
  if (random() % 3 == 0) {
    std::string bytes(1 + random() % 512, '\0');
    for (auto& c : bytes) c = static_cast<char>(byte(random));
    return bytes;
  }
  std::string bytes = valid;
  auto edits = 1 + random() % 6;
  for (std::uint32_t i = 0; i < edits && !bytes.empty(); ++i) {
    auto at = random() % bytes.size();
    switch (random() % 4) {
      case 0:
        bytes[at] = static_cast<char>(byte(random));
        break;
      case 1:
        bytes.erase(at, 1 + random() % 8);
        break;
      case 2:
        bytes.insert(at, bytes.substr(at, 1 + random() % 16));
        break;
      default:
        bytes.insert(at, "\r\n");
        break;
    }
  }
  return bytes;
}

TEST_F(ServerTest, GarbageNeverCrashesAndGoodRequestsStillWork) {
  auto options = local_options();
  options.read_timeout = std::chrono::seconds(2);
  start(options);
  std::mt19937 random(20240601);
  for (int i = 0; i < rounds; ++i) {
    RawConnection client(port());
    ASSERT_TRUE(client.connected()) << "round " << i;
    client.send(garbage(random));  // the server may close before all of it is sent
    client.finish_sending();
    EXPECT_TRUE(client.wait_closed()) << "round " << i;
  }
  RawConnection client(port());
  ASSERT_TRUE(client.send(get_request("/still-alive")));
  auto response = client.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, "/still-alive");
}

}  // namespace
}  // namespace mercato::test
