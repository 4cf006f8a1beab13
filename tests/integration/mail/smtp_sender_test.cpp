#include "mail/smtp_sender.hpp"

#include <gtest/gtest.h>

#include "core/time_format.hpp"
#include "db/mail/sql_mail_queue.hpp"
#include "db/transaction.hpp"
#include "integration/mail/mail_test_support.hpp"
#include "integration/mail/smtp_sink.hpp"
#include "mail/mail_dispatcher.hpp"
#include "support/fixed_clock.hpp"
#include "support/test_database.hpp"
#include "unit/mail/eml_reader.hpp"

using namespace mercato::testing;
using namespace std::chrono_literals;
using mercato::domain::EmailMessage;
using mercato::mail::MailError;
using mercato::mail::SmtpOptions;
using mercato::mail::SmtpSender;

namespace {

const std::string link = "http://localhost:8080/v1/auth/verify-email?token=q7Zk3V-x_9mB2LwQ0pRtYc8uHnE4sJdAa6FgKiOv1Te";

// aiosmtpd's Maildir stores LF line endings; back to the wire form for parse_eml.
Eml parse_stored(std::string text) {
  std::erase(text, '\r');
  std::string crlf;
  for (char c : text) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
  return parse_eml(crlf);
}

const Eml* find_by_subject(const std::vector<Eml>& emls, const std::string& subject) {
  for (const auto& eml : emls)
    if (decode_header_words(eml.headers.at("subject")) == subject) return &eml;
  return nullptr;
}

struct SmtpSenderTest : ::testing::Test {
  ScratchFolder folder{"mercato-smtp-"};
  FixedClock clock;
  mercato::security::SystemRandom random;

  SmtpSender sender_to(const std::string& url) {
    return SmtpSender({url, "Mercato <no-reply@shop.example>"}, clock, random);
  }
};

TEST_F(SmtpSenderTest, DeliversToARealSmtpServer) {
  SmtpSink sink(folder.path() / "maildir");
  auto sender = sender_to(sink.url());
  sender.send({"ada@example.com", "Confirm your email", "Hello Ada,\n" + link + "\n.a line that starts with a dot\n"});
  sender.send({"bob@example.com", "Bestätigen Sie Ihr Konto", "Grüße, Bob!\n" + link + "\n"});

  std::vector<Eml> received;
  for (const auto& text : sink.messages()) received.push_back(parse_stored(text));
  ASSERT_EQ(received.size(), 2u);
  const auto* ascii = find_by_subject(received, "Confirm your email");
  ASSERT_NE(ascii, nullptr);
  EXPECT_EQ(ascii->headers.at("x-rcptto"), "ada@example.com");
  EXPECT_EQ(ascii->headers.at("x-mailfrom"), "no-reply@shop.example");
  EXPECT_EQ(ascii->headers.at("from"), "Mercato <no-reply@shop.example>");
  EXPECT_EQ(ascii->body, "Hello Ada,\r\n" + link + "\r\n.a line that starts with a dot\r\n");  // dot-stuffing undone

  const auto* utf8 = find_by_subject(received, "Bestätigen Sie Ihr Konto");
  ASSERT_NE(utf8, nullptr);
  EXPECT_EQ(utf8->headers.at("x-rcptto"), "bob@example.com");
  EXPECT_EQ(utf8->body, "Grüße, Bob!\r\n" + link + "\r\n");
}

TEST_F(SmtpSenderTest, AClosedPortIsATransientMailError) {
  ClosedPort closed;
  auto sender = sender_to("smtp://127.0.0.1:" + std::to_string(closed.port()));
  try {
    sender.send({"ada@example.com", "s", "b"});
    FAIL() << "no error";
  } catch (const MailError& e) {
    EXPECT_FALSE(e.permanent());
    EXPECT_EQ(std::string(e.what()).rfind("smtp: ", 0), 0u) << e.what();
    EXPECT_EQ(std::string(e.what()).find("ada@"), std::string::npos);
  }
}

TEST_F(SmtpSenderTest, NeverSendsCredentialsWithoutTls) {
  // aiosmtpd here offers no STARTTLS: with a password in the URL the send must fail rather
  // than log in over a plain connection (what a downgrade attacker would arrange).
  SmtpSink sink(folder.path() / "maildir");
  auto sender = sender_to("smtp://mercato:hunter2@127.0.0.1:" + std::to_string(sink.port()));
  try {
    sender.send({"ada@example.com", "s", "b"});
    FAIL() << "no error";
  } catch (const MailError& e) {
    EXPECT_EQ(std::string(e.what()).find("hunter2"), std::string::npos);
  }
  EXPECT_TRUE(sink.messages().empty());
  EXPECT_EQ(sender.server(), "smtp://127.0.0.1:" + std::to_string(sink.port()));
}

TEST_F(SmtpSenderTest, RefusesAnInjectedRecipientBeforeConnecting) {
  ClosedPort closed;  // a connection attempt would fail differently (transient)
  auto sender = sender_to("smtp://127.0.0.1:" + std::to_string(closed.port()));
  try {
    sender.send({"ada@example.com>\r\nRCPT TO:<eve@example.com", "s", "b"});
    FAIL() << "no error";
  } catch (const MailError& e) {
    EXPECT_TRUE(e.permanent());
  }
}

class SmtpDispatcherTest : public BackendTest {
 protected:
  void enqueue(const EmailMessage& message) {
    mercato::db::run_transaction(database(), [&](mercato::db::Connection& c) {
      mercato::db::SqlMailQueue(c, cipher, clock, random).enqueue(message);
    });
  }

  ScratchFolder folder{"mercato-smtp-"};
  FixedClock clock;
  mercato::security::SystemRandom random;
  mercato::security::FieldCipher cipher{test_key(0xa1), {}, random};
  LogCapture capture;
  mercato::observability::Logger log{capture.stream(), mercato::observability::LogLevel::debug, clock};
};

TEST_P(SmtpDispatcherTest, DeliversTheOutboxOverSmtp) {
  SmtpSink sink(folder.path() / "maildir");
  SmtpSender sender({sink.url(), "Mercato <no-reply@shop.example>"}, clock, random);
  mercato::db::OutboxRepository outbox(database(), cipher, clock);
  mercato::mail::MailDispatcher dispatcher(outbox, sender, log, clock);
  enqueue({"ada@example.com", "Confirm your email", "Open " + link + "\n"});
  EXPECT_EQ(dispatcher.deliver_due(), 1u);
  auto messages = sink.messages();
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(parse_stored(messages[0]).body, "Open " + link + "\r\n");
  EXPECT_EQ(outbox.pending_count(), 0u);
}

TEST_P(SmtpDispatcherTest, ReschedulesWhenTheServerIsDown) {
  ClosedPort closed;
  SmtpSender sender({"smtp://127.0.0.1:" + std::to_string(closed.port()), "no-reply@shop.example"}, clock, random);
  mercato::db::OutboxRepository outbox(database(), cipher, clock);
  mercato::mail::MailDispatcher dispatcher(outbox, sender, log, clock);
  enqueue({"ada@example.com", "Confirm your email", "Open " + link + "\n"});
  EXPECT_EQ(dispatcher.deliver_due(), 0u);
  auto row = outbox_rows(database()).at(0);
  EXPECT_EQ(row.attempts, 1);
  EXPECT_EQ(row.last_error.value_or("").rfind("smtp: ", 0), 0u);
  EXPECT_EQ(row.next_attempt_at, mercato::format_rfc3339(clock.now() + 5s));
  EXPECT_FALSE(row.sent_at);
  EXPECT_EQ(capture.count("\"event\":\"mail_send_failed\""), 1u);
  EXPECT_EQ(capture.text().find("ada@"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Backends, SmtpDispatcherTest, ::testing::Values(Backend::sqlite, Backend::postgres),
                         backend_param_name);

}  // namespace
