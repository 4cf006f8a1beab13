#include "mail/mail_dispatcher.hpp"

#include <gtest/gtest.h>

#include "core/time_format.hpp"
#include "db/mail/sql_mail_queue.hpp"
#include "db/transaction.hpp"
#include "integration/mail/mail_test_support.hpp"
#include "support/fixed_clock.hpp"
#include "support/test_database.hpp"

using namespace mercato::testing;
using namespace std::chrono_literals;
using mercato::db::OutboxRepository;
using mercato::domain::EmailMessage;
using mercato::mail::MailDispatcher;

namespace {

const EmailMessage welcome{"ada@example.com", "Welcome aboard", "Hi Ada, your link: http://x.example/?token=s3cr3t\n"};

class MailDispatcherTest : public BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    outbox = std::make_unique<OutboxRepository>(database(), cipher, clock);
  }
  void TearDown() override {
    expect_no_personal_data();
    outbox.reset();
    BackendTest::TearDown();
  }
  void enqueue(const EmailMessage& message = welcome, const mercato::security::FieldCipher* with = nullptr) {
    mercato::db::run_transaction(database(), [&](mercato::db::Connection& c) {
      mercato::db::SqlMailQueue(c, with ? *with : cipher, clock, random).enqueue(message);
    });
  }
  MailDispatcher dispatcher(MailDispatcher::Options options = {}) {
    return MailDispatcher(*outbox, sender, log, clock, options);
  }
  // The address, subject and body must never reach the log, whatever happened.
  void expect_no_personal_data() {
    auto text = capture.text();
    for (const char* secret : {"ada@", "Welcome aboard", "Hi Ada", "s3cr3t"})
      EXPECT_EQ(text.find(secret), std::string::npos) << secret << " in log:\n" << text;
  }

  FixedClock clock;
  mercato::security::SystemRandom random;
  mercato::security::FieldCipher cipher{test_key(0xa1), {}, random};
  std::unique_ptr<OutboxRepository> outbox;
  FakeSender sender;
  LogCapture capture;
  mercato::observability::Logger log{capture.stream(), mercato::observability::LogLevel::debug, clock};
};

TEST_P(MailDispatcherTest, DeliversDueEmailsAndLogsTheirIds) {
  enqueue();
  clock.advance(1ms);  // oldest first
  enqueue({"bob@example.com", "Welcome aboard", "Hi Bob"});
  auto d = dispatcher();
  EXPECT_EQ(d.deliver_due(), 2u);
  ASSERT_EQ(sender.sent().size(), 2u);
  EXPECT_EQ(sender.sent()[0].to, "ada@example.com");
  EXPECT_EQ(sender.sent()[1].text_body, "Hi Bob");
  EXPECT_EQ(outbox->pending_count(), 0u);
  EXPECT_EQ(d.deliver_due(), 0u);
  EXPECT_EQ(capture.count("\"event\":\"mail_sent\""), 2u);
  for (const auto& row : outbox_rows(database()))
    EXPECT_NE(capture.text().find("\"email_id\":\"" + row.id + "\""), std::string::npos);
}

TEST_P(MailDispatcherTest, RetriesWithBackoffAfterFailures) {
  enqueue();
  sender.fail_next(2);
  auto d = dispatcher();
  EXPECT_EQ(d.deliver_due(), 0u);
  auto row = outbox_rows(database()).at(0);
  EXPECT_EQ(row.attempts, 1);
  EXPECT_EQ(row.last_error, "smtp: Couldn't connect to server");
  EXPECT_EQ(row.next_attempt_at, mercato::format_rfc3339(clock.now() + 5s));
  EXPECT_EQ(capture.count("\"event\":\"mail_send_failed\""), 1u);
  EXPECT_NE(capture.text().find("\"attempt\":1"), std::string::npos);

  clock.advance(4s);
  EXPECT_EQ(d.deliver_due(), 0u);
  EXPECT_EQ(sender.calls(), 1);  // not due yet
  clock.advance(1s);
  EXPECT_EQ(d.deliver_due(), 0u);  // second failure: the wait doubles
  EXPECT_EQ(outbox_rows(database()).at(0).next_attempt_at, mercato::format_rfc3339(clock.now() + 10s));
  clock.advance(10s);
  EXPECT_EQ(d.deliver_due(), 1u);
  EXPECT_EQ(sender.calls(), 3);
  row = outbox_rows(database()).at(0);
  EXPECT_EQ(row.attempts, 3);
  EXPECT_TRUE(row.sent_at);
}

TEST_P(MailDispatcherTest, BackoffDoublesUpToAnHour) {
  auto d = dispatcher();
  EXPECT_EQ(d.backoff(1), 5s);
  EXPECT_EQ(d.backoff(2), 10s);
  EXPECT_EQ(d.backoff(3), 20s);
  EXPECT_EQ(d.backoff(10), 2560s);
  EXPECT_EQ(d.backoff(11), 3600s);
  EXPECT_EQ(d.backoff(1000), 3600s);
}

TEST_P(MailDispatcherTest, GivesUpAfterMaxAttemptsButKeepsTheRow) {
  enqueue();
  sender.fail_next(1000);
  MailDispatcher::Options options;
  options.max_attempts = 3;
  auto d = dispatcher(options);
  for (int pass = 0; pass < 6; ++pass) {
    EXPECT_EQ(d.deliver_due(), 0u);
    clock.advance(1h);
  }
  EXPECT_EQ(sender.calls(), 3);
  auto row = outbox_rows(database()).at(0);
  EXPECT_EQ(row.attempts, 3);
  EXPECT_EQ(row.last_error, "smtp: Couldn't connect to server");
  EXPECT_FALSE(row.sent_at);
  EXPECT_EQ(outbox->pending_count(), 1u);
  EXPECT_EQ(capture.count("\"event\":\"mail_send_failed\""), 2u);
  EXPECT_EQ(capture.count("\"event\":\"mail_given_up\""), 1u);
  EXPECT_NE(capture.text().find("\"level\":\"error\",\"event\":\"mail_given_up\""), std::string::npos);
}

TEST_P(MailDispatcherTest, APermanentErrorGivesUpAtOnce) {
  enqueue();
  sender.fail_permanently();
  auto d = dispatcher();
  EXPECT_EQ(d.deliver_due(), 0u);
  clock.advance(24h);
  EXPECT_EQ(d.deliver_due(), 0u);
  EXPECT_EQ(sender.calls(), 1);
  EXPECT_EQ(capture.count("\"event\":\"mail_given_up\""), 1u);
  EXPECT_EQ(outbox_rows(database()).at(0).attempts, 1);
}

TEST_P(MailDispatcherTest, AnUnreadableEmailIsLoggedAndOthersStillGo) {
  mercato::security::FieldCipher removed_key{test_key(0x55), {}, random};
  enqueue(welcome, &removed_key);
  enqueue();
  auto d = dispatcher();
  EXPECT_EQ(d.deliver_due(), 1u);
  EXPECT_EQ(capture.count("\"event\":\"mail_payload_unreadable\""), 1u);
  EXPECT_EQ(outbox->pending_count(), 1u);
}

TEST_P(MailDispatcherTest, TheThreadDeliversWhenWoken) {
  MailDispatcher::Options options;
  options.poll_interval = 1h;  // only wake() can explain a prompt delivery
  auto d = dispatcher(options);
  d.start();
  enqueue();
  d.wake();
  ASSERT_TRUE(sender.wait_for_sent(1, 10s));
  enqueue();
  d.wake();
  ASSERT_TRUE(sender.wait_for_sent(2, 10s));
  d.stop();
  d.stop();
  EXPECT_EQ(outbox->pending_count(), 0u);
}

TEST_P(MailDispatcherTest, TheThreadSurvivesDatabaseErrors) {
  auto rename = [&](const char* from, const char* to) {
    database().acquire()->execute(std::string("ALTER TABLE ") + from + " RENAME TO " + to);
  };
  rename("outbound_emails", "outbound_emails_away");
  MailDispatcher::Options options;
  options.poll_interval = 1h;
  auto d = dispatcher(options);
  d.start();
  ASSERT_TRUE(capture.wait_for("\"event\":\"mail_dispatch_failed\"", 10s));
  rename("outbound_emails_away", "outbound_emails");
  enqueue();
  d.wake();
  EXPECT_TRUE(sender.wait_for_sent(1, 10s));
  d.stop();
}

TEST_P(MailDispatcherTest, StopWithoutStartIsHarmless) {
  auto d = dispatcher();
  d.stop();
  EXPECT_THROW(
      {
        d.start();
        d.start();
      },
      std::logic_error);
}

INSTANTIATE_TEST_SUITE_P(Backends, MailDispatcherTest, ::testing::Values(Backend::sqlite, Backend::postgres),
                         backend_param_name);

}  // namespace
