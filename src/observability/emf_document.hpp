#pragma once
// CloudWatch Embedded Metric Format members for a JSON log line: an `_aws` metadata object
// (Timestamp in milliseconds since the epoch, one metric directive) and the target members
// it names, at the line's top level. CloudWatch Logs turns such a line into metrics, so
// Lambda needs no agent and no API call.
// Spec: docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html

#include <boost/json/object.hpp>

#include <chrono>
#include <string_view>

#include "observability/metrics.hpp"

namespace mercato::observability {

// Adds to a request's access-log line: Route (the dimension), Requests (1), Latency
// (Milliseconds), Status4xx and Status5xx (0 or 1), and their directive under Dimensions
// [["Route"]].
void add_request_emf(boost::json::object& line, const RequestObservation& request, std::string_view metric_namespace,
                     std::chrono::system_clock::time_point at);

// The fields of a line that counts one business event, without dimensions ([[]]).
boost::json::object business_emf(BusinessMetric metric, std::string_view metric_namespace,
                                 std::chrono::system_clock::time_point at);

}  // namespace mercato::observability
