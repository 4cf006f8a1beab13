#include "db/mail/sql_mail_queue.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

#include "core/time_format.hpp"
#include "db/mail/email_payload.hpp"
#include "integration/mail/outbox_fixture.hpp"
#include "security/uuid.hpp"

using namespace mercato::testing;
using namespace std::chrono_literals;
using mercato::domain::EmailMessage;

namespace {

class SqlMailQueueTest : public OutboxTest {};

TEST_P(SqlMailQueueTest, StoresTheEmailEncryptedAndDueNow) {
  enqueue();
  auto rows = outbox_rows(database());
  ASSERT_EQ(rows.size(), 1u);
  const auto& row = rows[0];
  EXPECT_TRUE(mercato::security::is_uuid(row.id));
  for (const char* plaintext : {"ada@example.com", "example", "Confirm", "localhost", "token", "Zm9vYmFyYmF6"})
    EXPECT_EQ(row.payload_encrypted.find(plaintext), std::string::npos) << plaintext;
  auto opened = mercato::db::open_email_payload(row.payload_encrypted, cipher);
  EXPECT_EQ(opened.to, confirmation.to);
  EXPECT_EQ(opened.subject, confirmation.subject);
  EXPECT_EQ(opened.text_body, confirmation.text_body);
  EXPECT_EQ(row.created_at, mercato::format_rfc3339(clock.now()));
  EXPECT_EQ(row.next_attempt_at, row.created_at);
  EXPECT_EQ(row.attempts, 0);
  EXPECT_FALSE(row.sent_at);
  EXPECT_FALSE(row.last_error);
}

TEST_P(SqlMailQueueTest, ARolledBackTransactionLeavesNoEmail) {
  {
    auto lease = database().acquire();
    mercato::db::Transaction tx(*lease);
    mercato::db::SqlMailQueue(tx.connection(), cipher, clock, random).enqueue(confirmation);
  }  // no commit
  EXPECT_THROW(mercato::db::run_transaction(database(),
                                            [&](mercato::db::Connection& c) {
                                              mercato::db::SqlMailQueue(c, cipher, clock, random).enqueue(confirmation);
                                              throw std::runtime_error("the order failed after enqueueing");
                                            }),
               std::runtime_error);
  EXPECT_TRUE(outbox_rows(database()).empty());
  EXPECT_EQ(repository().pending_count(), 0u);
}

INSTANTIATE_TEST_SUITE_P(Backends, SqlMailQueueTest, ::testing::Values(Backend::sqlite, Backend::postgres),
                         backend_param_name);

}  // namespace
