#pragma once
// Tickets for event streams opened by browsers' EventSource, which cannot send an
// Authorization header: a signed-in caller trades its access token for a single-use,
// 60-second ticket and opens the stream with ?ticket=. An access token never travels in a
// URL (URLs end up in logs and histories); a ticket is worthless once used or expired.

#include <chrono>
#include <string>
#include <string_view>

#include "core/clock.hpp"
#include "core/principal.hpp"
#include "domain/accounts/account_store.hpp"
#include "security/random.hpp"

namespace mercato::domain {

inline constexpr std::chrono::seconds stream_ticket_lifetime{60};

struct StreamTicket {
  std::string ticket;
  std::int64_t expires_in = 0;  // seconds
};

class StreamTicketService {
 public:
  StreamTicketService(AccountTransactions& transactions, const Clock& clock, security::RandomSource& random)
      : transactions_(transactions), clock_(clock), random_(random) {}

  StreamTicket issue(const Principal& holder);
  // The principal of the sign-in that asked for it, checked as an access token would be;
  // 401 `invalid_ticket` when unknown, used, expired, or its sign-in has ended.
  Principal redeem(std::string_view ticket);

 private:
  AccountTransactions& transactions_;
  const Clock& clock_;
  security::RandomSource& random_;
};

}  // namespace mercato::domain
