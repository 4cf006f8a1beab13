#pragma once
// UUIDv7 (RFC 9562): 48-bit Unix milliseconds, then random bits; time-ordered, so new rows
// land at the right edge of B-tree indexes.

#include <optional>
#include <string>
#include <string_view>

#include "core/clock.hpp"
#include "security/random.hpp"

namespace mercato::security {

std::string uuid_v7(const Clock& clock, RandomSource& random);
// True for the canonical lower- or upper-case 8-4-4-4-12 hex form.
bool is_uuid(std::string_view text) noexcept;
// The lower-case form of a UUID, nullopt when `text` is none: ids compare alike on both
// databases (PostgreSQL's uuid type ignores case, SQLite's text does not).
std::optional<std::string> canonical_uuid(std::string_view text);

}  // namespace mercato::security
