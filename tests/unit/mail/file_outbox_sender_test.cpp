#include "mail/file_outbox_sender.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <regex>
#include <sstream>

#include "support/fixed_clock.hpp"
#include "support/test_database.hpp"
#include "unit/mail/eml_reader.hpp"

namespace fs = std::filesystem;
using mercato::domain::EmailMessage;
using mercato::mail::FileOutboxSender;
using mercato::mail::MailError;

namespace {

// A link as long as a real one: 43 base64url characters of token, with '=' in the query.
const std::string verification_link =
    "http://localhost:8080/v1/auth/verify-email?token=q7Zk3V-x_9mB2LwQ0pRtYc8uHnE4sJdAa6FgKiOv1Te&lang=en";

struct FileOutboxSenderTest : ::testing::Test {
  mercato::testing::ScratchFolder folder{"mercato-mail-"};
  fs::path dir = folder.path() / "data" / "outbox";  // does not exist yet
  mercato::testing::FixedClock clock;
  mercato::security::SystemRandom random;
  FileOutboxSender sender{dir, "Mercato <no-reply@localhost>", clock, random};

  std::vector<fs::path> files() const {
    std::vector<fs::path> out;
    if (fs::exists(dir))
      for (const auto& entry : fs::directory_iterator(dir)) out.push_back(entry.path());
    std::sort(out.begin(), out.end());
    return out;
  }
  static std::string read(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
  }
};

TEST_F(FileOutboxSenderTest, WritesAParseableEmlWithACopyPasteableLink) {
  sender.send({"ada@example.com", "Confirm your email",
               "Hello Ada,\n\nconfirm your address by opening this link:\n" + verification_link + "\n"});
  auto written = files();
  ASSERT_EQ(written.size(), 1u);
  EXPECT_TRUE(
      std::regex_match(written[0].filename().string(), std::regex(R"(20261125T000000\.000000Z-[0-9a-f]{32}\.eml)")))
      << written[0];
  auto text = read(written[0]);
  EXPECT_TRUE(mercato::testing::crlf_only(text));
  auto eml = mercato::testing::parse_eml(text);
  EXPECT_EQ(eml.headers["to"], "ada@example.com");
  EXPECT_EQ(eml.headers["subject"], "Confirm your email");
  EXPECT_EQ(eml.headers["content-transfer-encoding"], "7bit");
  // Byte for byte on a line of its own, as a newcomer copies it from a text editor.
  EXPECT_NE(eml.raw_body.find("\r\n" + verification_link + "\r\n"), std::string::npos) << eml.raw_body;
  EXPECT_NE(written[0].filename().string().find(eml.headers["message-id"].substr(1, 32)), std::string::npos);
}

TEST_F(FileOutboxSenderTest, ANonAsciiBodyStillCarriesTheExactLink) {
  sender.send({"ada@example.com", "Bestätigen", "Grüße!\n" + verification_link + "\n"});
  auto eml = mercato::testing::parse_eml(read(files().at(0)));
  EXPECT_EQ(eml.headers["content-transfer-encoding"], "quoted-printable");
  EXPECT_NE(eml.body.find(verification_link + "\r\n"), std::string::npos);
}

TEST_F(FileOutboxSenderTest, FilesAreOwnerOnlyAndNoTemporaryIsLeft) {
  sender.send({"ada@example.com", "One", "1"});
  clock.advance(std::chrono::milliseconds{1});
  sender.send({"ada@example.com", "Two", "2"});
  auto written = files();
  ASSERT_EQ(written.size(), 2u);
  for (const auto& path : written) {
    EXPECT_EQ(path.extension(), ".eml");
    struct stat info {};
    ASSERT_EQ(::stat(path.c_str(), &info), 0);
    EXPECT_EQ(info.st_mode & 0777, 0600);
  }
  // Names sort in sending order.
  EXPECT_EQ(mercato::testing::parse_eml(read(written[0])).headers["subject"], "One");
}

TEST_F(FileOutboxSenderTest, AnInvalidMessageIsAPermanentError) {
  try {
    sender.send({"ada@example.com\r\nBcc: eve@example.com", "s", "b"});
    FAIL() << "no error";
  } catch (const MailError& e) {
    EXPECT_TRUE(e.permanent());
  }
  EXPECT_TRUE(files().empty());
}

TEST_F(FileOutboxSenderTest, AnUnwritableFolderIsATransientError) {
  fs::create_directories(dir.parent_path());
  std::ofstream(dir) << "a file where the folder should be";
  try {
    sender.send({"ada@example.com", "s", "b"});
    FAIL() << "no error";
  } catch (const MailError& e) {
    EXPECT_FALSE(e.permanent());
    EXPECT_EQ(std::string(e.what()).find("ada@"), std::string::npos);
  }
}

}  // namespace
