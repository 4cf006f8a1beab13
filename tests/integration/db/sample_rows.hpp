#pragma once
// Rows that satisfy the current schema on both dialects, for the tests of the database layer.

#include <cstdio>
#include <string>

#include "db/connection.hpp"

namespace mercato::testing {

inline const std::string sample_time = "2026-11-25T23:24:30.123456Z";

// A fixed UUIDv7-shaped id: "00000000-0000-7000-8000-00000000000<n>".
inline std::string sample_id(int n) {
  char text[40];
  std::snprintf(text, sizeof text, "00000000-0000-7000-8000-%012d", n);
  return text;
}

// Users hold their email encrypted with a 64-character blind index (migration 0002); these
// tests of the database layer store the email as-is in both, padded to the index's width.
inline std::string sample_email_index(const std::string& email) {
  auto index = email;
  index.resize(64, '#');
  return index;
}

inline void insert_user(db::Connection& connection, const std::string& id, const std::string& email) {
  connection.execute(
      "INSERT INTO users (id, email_encrypted, email_index, password_hash, created_at, updated_at) "
      "VALUES ($1, $2, $3, 'hash', $4, $4)",
      {id, email, sample_email_index(email), sample_time});
}

inline void insert_category(db::Connection& connection, const std::string& id, const std::string& name) {
  connection.execute("INSERT INTO categories (id, name, created_at, updated_at) VALUES ($1, $2, $3, $3)",
                     {id, name, sample_time});
}

inline void insert_product(db::Connection& connection, const std::string& id, const std::string& category_id,
                           const std::string& vendor_id, std::int64_t stock) {
  connection.execute(
      "INSERT INTO products (id, name, price, stock_quantity, category_id, vendor_id, created_at, updated_at) "
      "VALUES ($1, 'Lamp', 1999, $2, $3, $4, $5, $5)",
      {id, stock, category_id, vendor_id, sample_time});
}

// `table` is a constant of the test, never input.
inline std::int64_t count_rows(db::Connection& connection, const std::string& table) {
  return connection.execute("SELECT COUNT(*) FROM " + table).rows.at(0).int64(0);
}

}  // namespace mercato::testing
