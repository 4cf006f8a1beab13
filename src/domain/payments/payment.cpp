#include "domain/payments/payment.hpp"

#include <array>
#include <utility>

namespace mercato::domain {

namespace {

constexpr std::array<std::pair<PaymentStatus, std::string_view>, 4> payment_statuses{{
    {PaymentStatus::pending, "pending"},
    {PaymentStatus::completed, "completed"},
    {PaymentStatus::failed, "failed"},
    {PaymentStatus::refunded, "refunded"},
}};

constexpr std::array<std::pair<RefundStatus, std::string_view>, 5> refund_statuses{{
    {RefundStatus::pending, "pending"},
    {RefundStatus::requires_action, "requires_action"},
    {RefundStatus::succeeded, "succeeded"},
    {RefundStatus::failed, "failed"},
    {RefundStatus::canceled, "canceled"},
}};

using EventType = PaymentEvent::Type;
constexpr std::array<std::pair<EventType, std::string_view>, 7> event_types{{
    {EventType::attempt_created, "attempt_created"},
    {EventType::gateway_call, "gateway_call"},
    {EventType::gateway_error, "gateway_error"},
    {EventType::webhook, "webhook"},
    {EventType::status_changed, "status_changed"},
    {EventType::refund_requested, "refund_requested"},
    {EventType::refund_updated, "refund_updated"},
}};

template <class Enum, std::size_t N>
std::string_view name_of(const std::array<std::pair<Enum, std::string_view>, N>& table, Enum value) noexcept {
  for (const auto& [e, name] : table)
    if (e == value) return name;
  return "unknown";
}

template <class Enum, std::size_t N>
std::optional<Enum> value_of(const std::array<std::pair<Enum, std::string_view>, N>& table,
                             std::string_view text) noexcept {
  for (const auto& [e, name] : table)
    if (name == text) return e;
  return std::nullopt;
}

}  // namespace

std::string_view to_string(PaymentStatus status) noexcept { return name_of(payment_statuses, status); }
std::optional<PaymentStatus> parse_payment_status(std::string_view text) noexcept {
  return value_of(payment_statuses, text);
}

std::string_view to_string(RefundStatus status) noexcept { return name_of(refund_statuses, status); }
std::optional<RefundStatus> parse_refund_status(std::string_view text) noexcept {
  return value_of(refund_statuses, text);
}

int rank(RefundStatus status) noexcept {
  switch (status) {
    case RefundStatus::pending:
    case RefundStatus::requires_action: return 0;
    case RefundStatus::succeeded: return 1;
    case RefundStatus::failed:
    case RefundStatus::canceled: return 2;
  }
  return 0;
}

std::string_view to_string(PaymentEvent::Type type) noexcept { return name_of(event_types, type); }
std::optional<PaymentEvent::Type> parse_payment_event_type(std::string_view text) noexcept {
  return value_of(event_types, text);
}

}  // namespace mercato::domain
