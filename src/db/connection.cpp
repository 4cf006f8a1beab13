#include "db/connection.hpp"

#include <charconv>

#include "db/error.hpp"

namespace mercato::db {

const std::string& Row::text(std::size_t i) const {
  const auto& value = values_.at(i);
  if (!value) throw DbError(Failure::other, "column " + std::to_string(i) + " is null");
  return *value;
}

std::int64_t Row::int64(std::size_t i) const {
  const auto& value = text(i);
  std::int64_t out = 0;
  auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), out);
  if (ec != std::errc{} || ptr != value.data() + value.size())
    throw DbError(Failure::other, "column " + std::to_string(i) + " is not an integer");
  return out;
}

std::optional<std::int64_t> Row::optional_int64(std::size_t i) const {
  if (is_null(i)) return std::nullopt;
  return int64(i);
}

bool Row::boolean(std::size_t i) const {
  const auto& value = text(i);
  return value == "1" || value == "t" || value == "true";
}

}  // namespace mercato::db
