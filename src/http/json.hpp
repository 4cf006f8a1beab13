#pragma once
// JSON in and out: reading a request body strictly (depth cap, unknown fields rejected,
// field errors collected) and writing JSON responses.

#include <boost/json/value.hpp>

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "http/request.hpp"
#include "http/response.hpp"

namespace mercato::http {

constexpr std::size_t max_json_depth = 32;

Response json_response(int status, const boost::json::value& body);

// 400 `malformed_json` for invalid JSON or nesting deeper than max_json_depth; 400
// `body_required` for an empty body. (415 for a non-JSON content type is the pipeline's.)
boost::json::value parse_json_body(const Request& request);

// Reads the fields of a JSON object body. Unknown fields are field errors, so that no
// client can set what it must not; finish() throws them all at once as a 400.
class BodyFields {
 public:
  BodyFields(const boost::json::value& body, std::initializer_list<std::string_view> allowed);

  std::optional<std::string> string(std::string_view name, bool required, std::size_t min_length = 0,
                                    std::size_t max_length = 10'000);
  std::optional<std::int64_t> integer(std::string_view name, bool required, std::int64_t min, std::int64_t max);
  std::optional<bool> boolean(std::string_view name, bool required);
  // An array field of min_size to max_size elements.
  const boost::json::array* array(std::string_view name, bool required, std::size_t min_size, std::size_t max_size);
  // Reads each element of `elements` (the value of field `name`) as an object of its own:
  // its errors are named "<name>[i].<field>" and collected here.
  void each_object(std::string_view name, const boost::json::array& elements,
                   std::initializer_list<std::string_view> allowed, const std::function<void(BodyFields&)>& read);
  // `field` is named as this object's own ("items[2].product_id" for an array element's).
  void add_error(std::string_view field, std::string message) { errors_.push_back({named(field), std::move(message)}); }
  // Adds the errors of fields that have none yet: a field of the wrong type is reported
  // once, not also as missing.
  void add_errors_of_other_fields(const std::vector<FieldError>& errors);
  void finish() const;

 private:
  BodyFields(const boost::json::object* object, std::initializer_list<std::string_view> allowed, std::string prefix);
  const boost::json::value* find(std::string_view name, bool required);
  std::string named(std::string_view name) const;

  const boost::json::object* object_ = nullptr;
  std::string prefix_;  // "items[2]." for the elements of an array field
  std::vector<FieldError> errors_;
};

}  // namespace mercato::http
