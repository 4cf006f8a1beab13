#pragma once
// Common English words that a search ignores, on both backends alike.

#include <string_view>

namespace mercato::domain {

// The Snowball English stop-word list, the one PostgreSQL's `english` text-search
// configuration drops: SQLite's FTS5 has none, so the terms leave them out before either
// database sees them.
bool is_stop_word(std::string_view lower_case_word);

}  // namespace mercato::domain
