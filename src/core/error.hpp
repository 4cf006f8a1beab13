#pragma once
// The one error type for failures a client may see. Thrown anywhere below the router and
// turned into problem+json in exactly one place (http/problem.cpp).

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace mercato {

enum class ErrorKind {
  invalid,             // 400
  unauthorized,        // 401
  forbidden,           // 403
  not_found,           // 404
  method_not_allowed,  // 405
  conflict,            // 409
  too_large,           // 413
  unsupported_media,   // 415
  unprocessable,       // 422
  rate_limited,        // 429
  bad_gateway,         // 502: a service we depend on (the payment gateway) refused
  unavailable,         // 503
  internal,            // 500: the client sees no detail
  not_implemented,     // 501: this deployment cannot serve the resource (e.g. a stream on Lambda)
};

struct FieldError {
  std::string field;
  std::string message;
};

class Error : public std::runtime_error {
 public:
  // `message` is for the client; `detail` only ever goes to the log.
  Error(ErrorKind kind, std::string code, std::string message, std::string detail = {})
      : std::runtime_error(detail.empty() ? message : detail),
        kind_(kind),
        code_(std::move(code)),
        message_(std::move(message)) {}

  ErrorKind kind() const noexcept { return kind_; }
  const std::string& code() const noexcept { return code_; }
  const std::string& message() const noexcept { return message_; }
  const std::vector<FieldError>& field_errors() const noexcept { return field_errors_; }
  std::optional<int> retry_after_seconds() const noexcept { return retry_after_; }

  Error& with_field_errors(std::vector<FieldError> errors) {
    field_errors_ = std::move(errors);
    return *this;
  }
  // RFC 9457 extension members, e.g. which product ran out and how much is left.
  using Extension = std::variant<std::string, std::int64_t>;
  const std::vector<std::pair<std::string, Extension>>& extensions() const noexcept { return extensions_; }
  Error& with_extension(std::string name, Extension value) {
    extensions_.emplace_back(std::move(name), std::move(value));
    return *this;
  }

  Error& with_retry_after(int seconds) {
    retry_after_ = seconds;
    return *this;
  }

  static Error invalid(std::string code, std::string message) {
    return {ErrorKind::invalid, std::move(code), std::move(message)};
  }
  static Error validation(std::vector<FieldError> errors) {
    Error e{ErrorKind::invalid, "validation_failed", "The request has invalid fields."};
    e.with_field_errors(std::move(errors));
    return e;
  }
  static Error not_found(std::string message = "The resource does not exist.") {
    return {ErrorKind::not_found, "not_found", std::move(message)};
  }
  static Error conflict(std::string code, std::string message) {
    return {ErrorKind::conflict, std::move(code), std::move(message)};
  }
  static Error unavailable(std::string code, std::string message, std::string detail = {}) {
    return {ErrorKind::unavailable, std::move(code), std::move(message), std::move(detail)};
  }

 private:
  ErrorKind kind_;
  std::string code_;
  std::string message_;
  std::vector<FieldError> field_errors_;
  std::optional<int> retry_after_;
  std::vector<std::pair<std::string, Extension>> extensions_;
};

}  // namespace mercato
