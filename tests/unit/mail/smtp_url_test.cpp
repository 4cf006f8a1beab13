#include "mail/smtp_url.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

using mercato::mail::parse_smtp_url;
using mercato::mail::SmtpTls;

namespace {

TEST(SmtpUrl, PlainWithoutCredentialsTriesStarttls) {
  auto endpoint = parse_smtp_url("smtp://mail.internal:25");
  EXPECT_EQ(endpoint.tls, SmtpTls::opportunistic);
  EXPECT_FALSE(endpoint.has_credentials);
  EXPECT_EQ(endpoint.curl_url, "smtp://mail.internal:25");
  EXPECT_EQ(endpoint.display, "smtp://mail.internal:25");
}

TEST(SmtpUrl, CredentialsRequireStarttlsAndAreHiddenFromTheDisplayForm) {
  auto endpoint = parse_smtp_url("smtp://apikey:s3cr%40t@smtp.example.com:587/client.example");
  EXPECT_EQ(endpoint.tls, SmtpTls::required);
  EXPECT_TRUE(endpoint.has_credentials);
  EXPECT_EQ(endpoint.curl_url, "smtp://apikey:s3cr%40t@smtp.example.com:587/client.example");
  EXPECT_EQ(endpoint.display, "smtp://smtp.example.com:587");
}

TEST(SmtpUrl, StarttlsParameterOverridesAndIsNotPassedOn) {
  auto tried = parse_smtp_url("smtp://user:pw@relay.local:25?starttls=try");
  EXPECT_EQ(tried.tls, SmtpTls::opportunistic);
  EXPECT_EQ(tried.curl_url, "smtp://user:pw@relay.local:25");
  EXPECT_EQ(parse_smtp_url("smtp://relay.local?starttls=required").tls, SmtpTls::required);
}

TEST(SmtpUrl, SmtpsIsImplicitTls) {
  auto endpoint = parse_smtp_url("smtps://user:pw@smtp.example.com:465");
  EXPECT_EQ(endpoint.tls, SmtpTls::implicit);
  EXPECT_EQ(endpoint.display, "smtps://smtp.example.com:465");
}

TEST(SmtpUrl, RefusesBadUrlsWithoutEchoingThem) {
  for (const char* bad : {"http://user:hunter2@host", "smtp://user:hunter2@", "smtp://user:hunter2@host?starttls=maybe",
                          "smtp://user:hunter2@host?debug=1", "smtps://user:hunter2@host?starttls=try",
                          "smtp://user:hunter2@host#frag", "not a url hunter2"}) {
    try {
      parse_smtp_url(bad);
      ADD_FAILURE() << "accepted " << bad;
    } catch (const std::invalid_argument& e) {
      EXPECT_EQ(std::string(e.what()).find("hunter2"), std::string::npos) << e.what();
    }
  }
}

}  // namespace
