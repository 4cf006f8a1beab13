#include "domain/accounts/stream_ticket_service.hpp"

#include "core/error.hpp"
#include "core/time_format.hpp"
#include "security/secure_token.hpp"

namespace mercato::domain {

StreamTicket StreamTicketService::issue(const Principal& holder) {
  auto ticket = security::random_token(random_);
  auto now = clock_.now();
  transactions_.run([&](AccountStore& store) {
    store.stream_tickets().insert(security::token_digest(ticket), holder.user_id, holder.session_id,
                                  format_rfc3339(now), format_rfc3339(now + stream_ticket_lifetime));
  });
  return {std::move(ticket), stream_ticket_lifetime.count()};
}

Principal StreamTicketService::redeem(std::string_view ticket) {
  auto invalid = [] {
    return Error{ErrorKind::unauthorized, "invalid_ticket", "The ticket is unknown, used or expired; get a new one."};
  };
  std::optional<StreamTicketRecord> record;
  std::optional<SessionState> state;
  auto now = format_rfc3339(clock_.now());
  transactions_.run([&](AccountStore& store) {
    record = store.stream_tickets().consume(security::token_digest(ticket), now);
    if (!record) return;
    if (!is_external_session(record->session_id)) {
      state = store.sessions().session_state(record->user_id, record->session_id, now);
      return;
    }
    // A Cognito sign-in has no family here to revoke; the user's own state still counts.
    if (auto user = store.users().find_by_id(record->user_id))
      state = SessionState{user->user.role, user->user.disabled, false, user->user.email_verified};
  });
  if (!record || !state || state->session_revoked || state->user_disabled) throw invalid();
  return Principal{record->user_id, state->role, record->session_id, state->email_verified};
}

}  // namespace mercato::domain
