#include "mail/rfc5322.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

#include "support/fixed_clock.hpp"
#include "unit/mail/eml_reader.hpp"

using mercato::domain::EmailMessage;
using mercato::mail::MessageComposer;
using mercato::mail::parse_mailbox;
using mercato::testing::parse_eml;

namespace {

struct MailRfc5322 : ::testing::Test {
  mercato::testing::FixedClock clock;  // Wednesday 2026-11-25 00:00:00 UTC
  mercato::security::SystemRandom random;
  MessageComposer composer{"Mercato <no-reply@shop.example>", clock, random};

  EmailMessage message(std::string subject = "Confirm your email", std::string body = "Hello\n") {
    return {"ada@example.com", std::move(subject), std::move(body)};
  }
};

TEST_F(MailRfc5322, HasEveryHeaderAndCrlfLineEndings) {
  auto composed = composer.compose(message("Confirm your email", "Hello Ada,\nwelcome.\n"));
  EXPECT_TRUE(mercato::testing::crlf_only(composed.text));
  auto eml = parse_eml(composed.text);
  EXPECT_EQ(eml.headers["date"], "Wed, 25 Nov 2026 00:00:00 +0000");
  EXPECT_EQ(eml.headers["from"], "Mercato <no-reply@shop.example>");
  EXPECT_EQ(eml.headers["to"], "ada@example.com");
  EXPECT_EQ(eml.headers["subject"], "Confirm your email");
  EXPECT_EQ(eml.headers["message-id"], "<" + composed.id + "@shop.example>");
  EXPECT_EQ(composed.id.size(), 32u);
  EXPECT_EQ(eml.headers["mime-version"], "1.0");
  EXPECT_EQ(eml.headers["content-type"], "text/plain; charset=utf-8");
  EXPECT_EQ(eml.headers["content-transfer-encoding"], "7bit");
  EXPECT_EQ(eml.raw_body, "Hello Ada,\r\nwelcome.\r\n");
}

TEST_F(MailRfc5322, EachMessageGetsItsOwnId) {
  EXPECT_NE(composer.compose(message()).id, composer.compose(message()).id);
}

TEST_F(MailRfc5322, NormalisesEveryLineBreakToCrlf) {
  auto eml = parse_eml(composer.compose(message("s", "a\nb\r\nc\rd")).text);
  EXPECT_EQ(eml.raw_body, "a\r\nb\r\nc\r\nd\r\n");
}

TEST_F(MailRfc5322, EncodesANonAsciiSubjectAsUtf8EncodedWords) {
  std::string subject = "Bestätigen Sie Ihre E-Mail-Adresse für Mercato – Ihr Konto wartet schon auf Sie €";
  auto composed = composer.compose(message(subject));
  auto eml = parse_eml(composed.text);
  EXPECT_EQ(eml.headers["subject"].rfind("=?UTF-8?B?", 0), 0u);
  EXPECT_EQ(mercato::testing::decode_header_words(eml.headers["subject"]), subject);
  // Folded: no header line is longer than 78 characters.
  auto head = composed.text.substr(0, composed.text.find("\r\n\r\n"));
  for (std::size_t start = 0, end; start < head.size(); start = end + 2) {
    end = head.find("\r\n", start);
    if (end == std::string::npos) end = head.size();
    EXPECT_LE(end - start, 78u) << head.substr(start, end - start);
  }
}

TEST_F(MailRfc5322, EncodesALongAsciiSubjectAndOneThatLooksEncoded) {
  std::string long_subject(120, 'x');
  auto eml = parse_eml(composer.compose(message(long_subject)).text);
  EXPECT_EQ(mercato::testing::decode_header_words(eml.headers["subject"]), long_subject);
  eml = parse_eml(composer.compose(message("=?UTF-8?B?aGk=?=")).text);
  EXPECT_EQ(mercato::testing::decode_header_words(eml.headers["subject"]), "=?UTF-8?B?aGk=?=");
}

TEST_F(MailRfc5322, UsesQuotedPrintableForANonAsciiBody) {
  std::string body = "Grüße, Ada!\nConfirm: https://shop.example/verify?token=abc_DEF-123\n";
  auto eml = parse_eml(composer.compose(message("s", body)).text);
  EXPECT_EQ(eml.headers["content-transfer-encoding"], "quoted-printable");
  EXPECT_NE(eml.raw_body.find("Gr=C3=BC=C3=9Fe"), std::string::npos);
  EXPECT_EQ(eml.body, "Grüße, Ada!\r\nConfirm: https://shop.example/verify?token=abc_DEF-123\r\n");
}

TEST_F(MailRfc5322, RefusesHeaderInjection) {
  for (std::string bad :
       {"ada@example.com\r\nBcc: eve@example.com", "ada@example.com\nBcc: eve@example.com", "ada@example.com\r"}) {
    EXPECT_THROW(composer.compose({bad, "s", "b"}), std::invalid_argument);
  }
  EXPECT_THROW(composer.compose(message("Hi\r\nBcc: eve@example.com")), std::invalid_argument);
  EXPECT_THROW(composer.compose(message("Hi\nX: y")), std::invalid_argument);
  EXPECT_THROW(MessageComposer("Mercato <a@b.example>\r\nBcc: eve@example.com", clock, random), std::invalid_argument);
}

TEST_F(MailRfc5322, RefusesMalformedRecipientsWithoutEchoingThem) {
  for (std::string bad : {"", "ada", "@example.com", "ada@", "a b@example.com", "ada@example.com, eve@example.com",
                          "<ada@example.com>", "ada@@example.com", "adä@example.com"}) {
    try {
      composer.compose({bad, "s", "b"});
      ADD_FAILURE() << "accepted " << bad;
    } catch (const std::invalid_argument& e) {
      if (!bad.empty()) {
        EXPECT_EQ(std::string(e.what()).find(bad), std::string::npos);
      }
    }
  }
}

TEST_F(MailRfc5322, ParsesMailboxes) {
  auto named = parse_mailbox("Mercato Shop <no-reply@shop.example>");
  EXPECT_EQ(named.display_name, "Mercato Shop");
  EXPECT_EQ(named.address, "no-reply@shop.example");
  auto quoted = parse_mailbox("\"Mercato, Inc.\" <no-reply@shop.example>");
  EXPECT_EQ(quoted.display_name, "Mercato, Inc.");
  auto bare = parse_mailbox("  no-reply@shop.example ");
  EXPECT_EQ(bare.display_name, "");
  EXPECT_EQ(bare.address, "no-reply@shop.example");
  EXPECT_THROW(parse_mailbox("Mercato <no-reply@shop.example"), std::invalid_argument);
}

TEST_F(MailRfc5322, QuotesOrEncodesTheSenderName) {
  MessageComposer quoted{"Mercato, Inc. <no-reply@shop.example>", clock, random};
  EXPECT_EQ(parse_eml(quoted.compose(message()).text).headers["from"], "\"Mercato, Inc.\" <no-reply@shop.example>");
  MessageComposer encoded{"Mercató <no-reply@shop.example>", clock, random};
  auto from = parse_eml(encoded.compose(message()).text).headers["from"];
  EXPECT_EQ(mercato::testing::decode_header_words(from), "Mercató <no-reply@shop.example>");
  EXPECT_EQ(quoted.sender_address(), "no-reply@shop.example");
}

}  // namespace
