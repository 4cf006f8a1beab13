#include "db/mail/outbox_repository.hpp"

#include <gtest/gtest.h>

#include <latch>
#include <set>
#include <stdexcept>
#include <thread>

#include "core/time_format.hpp"
#include "db/mail/email_payload.hpp"
#include "integration/mail/outbox_fixture.hpp"
#include "security/uuid.hpp"

using namespace mercato::testing;
using namespace std::chrono_literals;
using mercato::db::OutboxRepository;
using mercato::domain::EmailMessage;
using mercato::security::FieldCipher;

namespace {

class OutboxRepositoryTest : public OutboxTest {};

TEST_P(OutboxRepositoryTest, ClaimsADueEmailOnceWithinItsLease) {
  enqueue();
  auto outbox = repository();
  auto claimed = outbox.claim_due(10, 60s);
  ASSERT_EQ(claimed.size(), 1u);
  EXPECT_EQ(claimed[0].message.to, confirmation.to);
  EXPECT_EQ(claimed[0].message.text_body, confirmation.text_body);
  EXPECT_EQ(claimed[0].attempts, 0);
  EXPECT_TRUE(outbox.claim_due(10, 60s).empty());
  clock.advance(59s);
  EXPECT_TRUE(outbox.claim_due(10, 60s).empty());
  clock.advance(1s);  // the claimer died: the email is due again
  auto again = outbox.claim_due(10, 60s);
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].id, claimed[0].id);
}

TEST_P(OutboxRepositoryTest, ClaimsOldestFirstUpToTheLimit) {
  for (const char* subject : {"first", "second", "third"}) {
    enqueue({"ada@example.com", subject, "body"});
    clock.advance(1ms);
  }
  auto outbox = repository();
  auto first = outbox.claim_due(2, 60s);
  ASSERT_EQ(first.size(), 2u);
  EXPECT_EQ(first[0].message.subject, "first");
  EXPECT_EQ(first[1].message.subject, "second");
  auto rest = outbox.claim_due(2, 60s);
  ASSERT_EQ(rest.size(), 1u);
  EXPECT_EQ(rest[0].message.subject, "third");
}

TEST_P(OutboxRepositoryTest, MarkSentTakesTheEmailOutOfTheQueue) {
  enqueue();
  auto outbox = repository();
  auto id = outbox.claim_due(10, 60s).at(0).id;
  clock.advance(2s);
  outbox.mark_sent(id);
  EXPECT_EQ(outbox.pending_count(), 0u);
  clock.advance(24h);
  EXPECT_TRUE(outbox.claim_due(10, 60s).empty());
  auto row = outbox_rows(database()).at(0);
  EXPECT_EQ(row.sent_at, mercato::format_rfc3339(clock.now() - 24h));
  EXPECT_EQ(row.attempts, 1);
}

TEST_P(OutboxRepositoryTest, MarkFailedReschedulesWithTheError) {
  enqueue();
  auto outbox = repository();
  auto id = outbox.claim_due(10, 60s).at(0).id;
  outbox.mark_failed(id, 1, clock.now() + 5s, "smtp: Couldn't connect to server");
  auto row = outbox_rows(database()).at(0);
  EXPECT_EQ(row.attempts, 1);
  EXPECT_EQ(row.last_error, "smtp: Couldn't connect to server");
  EXPECT_EQ(row.next_attempt_at, mercato::format_rfc3339(clock.now() + 5s));
  EXPECT_EQ(outbox.pending_count(), 1u);
  clock.advance(4s);
  EXPECT_TRUE(outbox.claim_due(10, 60s).empty());
  clock.advance(1s);
  auto retried = outbox.claim_due(10, 60s);
  ASSERT_EQ(retried.size(), 1u);
  EXPECT_EQ(retried[0].attempts, 1);
}

TEST_P(OutboxRepositoryTest, StoresOnlyAShortErrorCutOnACharacterBoundary) {
  enqueue();
  auto outbox = repository();
  auto id = outbox.claim_due(10, 60s).at(0).id;
  std::string long_error;
  for (int i = 0; i < 300; ++i) long_error += "é";  // 600 bytes of two-byte characters
  long_error = "x" + long_error;                    // odd offset: byte 200 is mid-character
  outbox.mark_failed(id, 1, clock.now(), long_error);
  auto stored = outbox_rows(database()).at(0).last_error.value();
  EXPECT_LE(stored.size(), 200u);
  EXPECT_EQ(stored, long_error.substr(0, stored.size()));
  EXPECT_EQ(stored.size() % 2, 1u);
}

TEST_P(OutboxRepositoryTest, AGivenUpEmailStaysButIsNeverDueAgain) {
  enqueue();
  auto outbox = repository();
  auto id = outbox.claim_due(10, 60s).at(0).id;
  outbox.mark_given_up(id, 10, "smtp: Login denied");
  clock.advance(24h * 365 * 50);
  EXPECT_TRUE(outbox.claim_due(10, 60s).empty());
  EXPECT_EQ(outbox.pending_count(), 1u);
  auto row = outbox_rows(database()).at(0);
  EXPECT_EQ(row.attempts, 10);
  EXPECT_EQ(row.last_error, "smtp: Login denied");
  EXPECT_FALSE(row.sent_at);
}

TEST_P(OutboxRepositoryTest, AnUnreadablePayloadIsSetAsideNotLost) {
  FieldCipher retired_key{test_key(0x77), {}, random};
  enqueue(confirmation, retired_key);
  enqueue();
  auto outbox = repository();
  std::vector<std::string> unreadable;
  auto claimed =
      outbox.claim_due(10, 60s, [&](const std::string& id, const std::string&) { unreadable.push_back(id); });
  ASSERT_EQ(claimed.size(), 1u);  // the readable one still goes out
  ASSERT_EQ(unreadable.size(), 1u);
  EXPECT_NE(unreadable[0], claimed[0].id);
  for (const auto& row : outbox_rows(database())) {
    if (row.id != unreadable[0]) continue;
    EXPECT_EQ(row.attempts, 0);
    EXPECT_EQ(row.next_attempt_at, mercato::format_rfc3339(clock.now() + OutboxRepository::unreadable_retry));
    EXPECT_EQ(row.last_error.value_or("").rfind("payload unreadable", 0), 0u);
  }
  outbox.mark_sent(claimed[0].id);
  // With the old key restored (a rotation), the email is readable again at its next try.
  FieldCipher rotated{test_key(0xa1), {test_key(0x77)}, random};
  clock.advance(OutboxRepository::unreadable_retry);
  auto healed = OutboxRepository(database(), rotated, clock).claim_due(10, 60s);
  ASSERT_EQ(healed.size(), 1u);
  EXPECT_EQ(healed[0].message.to, confirmation.to);
}

TEST_P(OutboxRepositoryTest, ConcurrentClaimersNeverShareAnEmail) {
  constexpr std::size_t emails = 40;
  for (std::size_t i = 0; i < emails; ++i) enqueue({"ada@example.com", "s" + std::to_string(i), "b"});
  std::vector<mercato::db::PendingEmail> claimed[2];
  std::latch ready(2);
  auto claim = [&](int who) {
    OutboxRepository outbox(database(), cipher, clock);
    ready.arrive_and_wait();
    claimed[who] = outbox.claim_due(emails, 60s);
  };
  std::thread a(claim, 0), b(claim, 1);
  a.join();
  b.join();
  std::set<std::string> ids;
  for (const auto& list : claimed)
    for (const auto& email : list) EXPECT_TRUE(ids.insert(email.id).second) << "claimed twice: " << email.id;
  EXPECT_EQ(ids.size(), emails);
}

INSTANTIATE_TEST_SUITE_P(Backends, OutboxRepositoryTest, ::testing::Values(Backend::sqlite, Backend::postgres),
                         backend_param_name);

}  // namespace
