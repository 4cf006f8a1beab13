#pragma once
// A transport-agnostic HTTP request: what the socket server and the Lambda loop build and
// what the router and handlers read. No Beast types here.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/principal.hpp"
#include "http/headers.hpp"

namespace mercato::http {

enum class Method { get, head, post, put, patch, delete_, options, other };

Method parse_method(std::string_view text) noexcept;
std::string_view to_string(Method method) noexcept;

struct Request {
  Method method = Method::get;
  std::string target;  // as received: path and query, percent-encoded
  std::string path;    // decoded path without the query
  std::vector<std::pair<std::string, std::string>> query;  // decoded, in order
  Headers headers;
  std::string body;
  std::string remote_address;  // the socket peer
  std::string client_ip;       // the client behind trusted proxies; set by the pipeline
  // Set by the Lambda transport so that the access log ties to AWS's own records.
  std::string aws_request_id;  // the Lambda invocation
  std::string trace_id;        // X-Amzn-Trace-Id (X-Ray)

  // Filled in on the way through the pipeline.
  std::string request_id;
  std::string route_template;
  std::map<std::string, std::string, std::less<>> path_params;
  std::optional<Principal> principal;

  std::optional<std::string_view> query_param(std::string_view name) const;
  std::string_view path_param(std::string_view name) const;
};

// Splits and percent-decodes a request target; nullopt when it is not a valid origin-form
// target ("/path?query").
struct ParsedTarget {
  std::string path;
  std::vector<std::pair<std::string, std::string>> query;
};
std::optional<ParsedTarget> parse_target(std::string_view target);

}  // namespace mercato::http
