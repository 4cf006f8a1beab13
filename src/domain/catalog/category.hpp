#pragma once
// A product category, as stored and as answered.

#include <optional>
#include <string>
#include <vector>

namespace mercato::domain {

struct Category {
  std::string id;
  std::string name;
  std::string description;
  std::string created_at;
  std::string updated_at;
};

// What a create or an update sets; an absent field is left as it is (or defaulted).
struct CategoryFields {
  std::optional<std::string> name;
  std::optional<std::string> description;
};

// Categories are listed by name (byte order), then id.
struct CategoryCursor {
  std::string name;
  std::string id;
};

struct CategoryPage {
  std::vector<Category> categories;
  bool has_more = false;
};

}  // namespace mercato::domain
