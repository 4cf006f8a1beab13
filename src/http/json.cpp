#include "http/json.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>

namespace mercato::http {

Response json_response(int status, const boost::json::value& body) {
  Response response;
  response.status = status;
  response.headers.set("Content-Type", "application/json");
  response.body = boost::json::serialize(body);
  return response;
}

boost::json::value parse_json_body(const Request& request) {
  if (request.body.empty()) throw Error::invalid("body_required", "A JSON body is required.");
  boost::json::parse_options options;
  options.max_depth = max_json_depth;
  boost::system::error_code ec;
  auto value = boost::json::parse(request.body, ec, {}, options);
  if (ec) throw Error::invalid("malformed_json", "The body is not valid JSON.");
  return value;
}

BodyFields::BodyFields(const boost::json::value& body, std::initializer_list<std::string_view> allowed)
    : BodyFields(body.if_object(), allowed, {}) {
  if (!object_) throw Error::invalid("invalid_body", "The body must be a JSON object.");
}

BodyFields::BodyFields(const boost::json::object* object, std::initializer_list<std::string_view> allowed,
                       std::string prefix)
    : object_(object), prefix_(std::move(prefix)) {
  if (!object_) return;
  for (const auto& field : *object_) {
    if (std::find(allowed.begin(), allowed.end(), std::string_view{field.key()}) == allowed.end())
      errors_.push_back({named(field.key()), "Unknown field."});
  }
}

std::string BodyFields::named(std::string_view name) const { return prefix_ + std::string(name); }

const boost::json::array* BodyFields::array(std::string_view name, bool required, std::size_t min_size,
                                            std::size_t max_size) {
  auto value = find(name, required);
  if (!value) return nullptr;
  auto* elements = value->if_array();
  if (!elements || elements->size() < min_size || elements->size() > max_size) {
    errors_.push_back({named(name), "Must be an array of " + std::to_string(min_size) + " to " +
                                        std::to_string(max_size) + " elements."});
    return nullptr;
  }
  return elements;
}

void BodyFields::each_object(std::string_view name, const boost::json::array& elements,
                             std::initializer_list<std::string_view> allowed,
                             const std::function<void(BodyFields&)>& read) {
  for (std::size_t i = 0; i < elements.size(); ++i) {
    auto element_name = named(name) + "[" + std::to_string(i) + "]";
    auto* object = elements[i].if_object();
    if (!object) {
      errors_.push_back({element_name, "Must be an object."});
      continue;
    }
    BodyFields element(object, allowed, element_name + ".");
    read(element);
    errors_.insert(errors_.end(), element.errors_.begin(), element.errors_.end());
  }
}

const boost::json::value* BodyFields::find(std::string_view name, bool required) {
  auto it = object_->find(name);
  if (it == object_->end() || it->value().is_null()) {
    if (required) errors_.push_back({named(name), "Required."});
    return nullptr;
  }
  return &it->value();
}

std::optional<std::string> BodyFields::string(std::string_view name, bool required, std::size_t min_length,
                                              std::size_t max_length) {
  auto value = find(name, required);
  if (!value) return std::nullopt;
  if (!value->is_string()) {
    errors_.push_back({named(name), "Must be a string."});
    return std::nullopt;
  }
  std::string text{value->as_string()};
  if (text.size() < min_length || text.size() > max_length) {
    errors_.push_back({named(name), "Must be " + std::to_string(min_length) + " to " +
                                              std::to_string(max_length) + " bytes long."});
    return std::nullopt;
  }
  return text;
}

std::optional<std::int64_t> BodyFields::integer(std::string_view name, bool required, std::int64_t min,
                                                std::int64_t max) {
  auto value = find(name, required);
  if (!value) return std::nullopt;
  std::optional<std::int64_t> number;
  if (value->is_int64()) number = value->as_int64();
  if (value->is_uint64() && value->as_uint64() <= static_cast<std::uint64_t>(INT64_MAX))
    number = static_cast<std::int64_t>(value->as_uint64());
  if (!number || *number < min || *number > max) {
    errors_.push_back({named(name), "Must be an integer from " + std::to_string(min) + " to " +
                                              std::to_string(max) + "."});
    return std::nullopt;
  }
  return number;
}

std::optional<bool> BodyFields::boolean(std::string_view name, bool required) {
  auto value = find(name, required);
  if (!value) return std::nullopt;
  if (!value->is_bool()) {
    errors_.push_back({named(name), "Must be true or false."});
    return std::nullopt;
  }
  return value->as_bool();
}

void BodyFields::add_errors_of_other_fields(const std::vector<FieldError>& errors) {
  auto reported = errors_.size();
  for (const auto& error : errors) {
    auto same_field = [&](const FieldError& e) { return e.field == error.field; };
    if (std::none_of(errors_.begin(), errors_.begin() + static_cast<std::ptrdiff_t>(reported), same_field))
      errors_.push_back(error);
  }
}

void BodyFields::finish() const {
  if (!errors_.empty()) throw Error::validation(errors_);
}

}  // namespace mercato::http
