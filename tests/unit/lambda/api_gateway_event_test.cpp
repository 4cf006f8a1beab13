// API Gateway HTTP API payload 2.0 ⇄ Request/Response. Events are written out as AWS
// documents them (docs.aws.amazon.com/apigateway, "Working with AWS Lambda proxy
// integrations for HTTP APIs").

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "lambda/api_gateway_event.hpp"

namespace json = boost::json;
using mercato::lambda::MalformedEvent;
using mercato::lambda::is_http_api_event;
using mercato::lambda::to_gateway_response;
using mercato::lambda::to_request;
namespace http = mercato::http;

namespace {

// AWS's own example event, shortened.
constexpr const char* documented_event = R"({
  "version": "2.0",
  "routeKey": "$default",
  "rawPath": "/api/products",
  "rawQueryString": "parameter1=value1&parameter1=value2&q=red%20shoes",
  "cookies": ["cookie1=a", "cookie2=b"],
  "headers": {"header1": "value1", "header2": "value1,value2", "content-type": "application/json"},
  "queryStringParameters": {"parameter1": "value1,value2"},
  "requestContext": {
    "accountId": "123456789012",
    "apiId": "api-id",
    "domainName": "id.execute-api.us-east-1.amazonaws.com",
    "domainPrefix": "id",
    "http": {"method": "POST", "path": "/api/products", "protocol": "HTTP/1.1",
             "sourceIp": "192.0.2.1", "userAgent": "agent"},
    "requestId": "JKJaXmPLvHcESHA=",
    "routeKey": "$default",
    "stage": "$default",
    "time": "12/Mar/2020:19:03:58 +0000",
    "timeEpoch": 1583348638390
  },
  "body": "Hello from Lambda",
  "isBase64Encoded": false
})";

json::object event() { return json::parse(documented_event).as_object(); }

json::object response_json(const http::Response& response, http::Method method = http::Method::get) {
  return json::parse(to_gateway_response(response, method)).as_object();
}

TEST(ApiGatewayEvent, ReadsMethodPathQueryAndClient) {
  auto in = to_request(event(), 1024);
  EXPECT_EQ(in.request.method, http::Method::post);
  EXPECT_EQ(in.request.path, "/api/products");
  EXPECT_EQ(in.request.target, "/api/products?parameter1=value1&parameter1=value2&q=red%20shoes");
  ASSERT_EQ(in.request.query.size(), 3u);
  EXPECT_EQ(in.request.query[1], (std::pair<std::string, std::string>{"parameter1", "value2"}));
  EXPECT_EQ(in.request.query[2].second, "red shoes");
  EXPECT_EQ(in.request.remote_address, "192.0.2.1");
  EXPECT_EQ(in.gateway_request_id, "JKJaXmPLvHcESHA=");
  EXPECT_EQ(in.request.body, "Hello from Lambda");
  EXPECT_FALSE(in.body_too_large);
}

TEST(ApiGatewayEvent, ReadsHeadersAndJoinsCookies) {
  auto in = to_request(event(), 1024);
  EXPECT_EQ(in.request.headers.get("Header2"), "value1,value2");
  EXPECT_EQ(in.request.headers.get("Content-Type"), "application/json");
  EXPECT_EQ(in.request.headers.get("Cookie"), "cookie1=a; cookie2=b");
}

TEST(ApiGatewayEvent, DecodesBase64Bodies) {
  auto e = event();
  e["body"] = "eyJhIjogMX0A/w==";  // {"a": 1} NUL 0xFF
  e["isBase64Encoded"] = true;
  auto in = to_request(e, 1024);
  EXPECT_EQ(in.request.body, std::string("{\"a\": 1}\0\xff", 10));
}

TEST(ApiGatewayEvent, RefusesBodiesMarkedBase64ThatAreNot) {
  auto e = event();
  e["body"] = "not base64!";
  e["isBase64Encoded"] = true;
  EXPECT_THROW(to_request(e, 1024), MalformedEvent);
}

TEST(ApiGatewayEvent, FlagsBodiesOverTheLimitWithoutKeepingThem) {
  auto in = to_request(event(), 5);
  EXPECT_TRUE(in.body_too_large);
  EXPECT_TRUE(in.request.body.empty());
}

TEST(ApiGatewayEvent, EncodesWhatATargetMayNotContain) {
  auto e = event();
  e["rawPath"] = "/api/products/red shoes/\xc3\xa9";
  e["rawQueryString"] = "q=a b";
  auto in = to_request(e, 1024);
  EXPECT_EQ(in.request.path, "/api/products/red shoes/\xc3\xa9");
  EXPECT_EQ(in.request.target, "/api/products/red%20shoes/%C3%A9?q=a%20b");
  EXPECT_EQ(in.request.query.at(0).second, "a b");
}

TEST(ApiGatewayEvent, ReadsAnEventWithoutOptionalMembers) {
  auto e = json::parse(R"({"version":"2.0","rawPath":"/api/health",
    "requestContext":{"http":{"method":"GET"}}})").as_object();
  auto in = to_request(e, 1024);
  EXPECT_EQ(in.request.method, http::Method::get);
  EXPECT_EQ(in.request.target, "/api/health");
  EXPECT_TRUE(in.request.query.empty());
  EXPECT_TRUE(in.request.body.empty());
  EXPECT_FALSE(in.request.headers.contains("Cookie"));
}

TEST(ApiGatewayEvent, RecognisesOnlyPayload2Events) {
  EXPECT_TRUE(is_http_api_event(event()));
  auto v1 = event();
  v1["version"] = "1.0";
  EXPECT_FALSE(is_http_api_event(v1));
  EXPECT_FALSE(is_http_api_event(json::parse(R"({"mercato":"migrate"})").as_object()));
  EXPECT_FALSE(is_http_api_event(json::parse(R"({"version":"2.0","requestContext":{}})").as_object()));
  EXPECT_THROW(to_request(v1, 1024), MalformedEvent);
}

TEST(ApiGatewayEvent, RefusesMalformedPaths) {
  auto e = event();
  e.erase("rawPath");
  EXPECT_THROW(to_request(e, 1024), MalformedEvent);
  e["rawPath"] = "api/no-slash";
  EXPECT_THROW(to_request(e, 1024), MalformedEvent);
  e["rawPath"] = 42;
  EXPECT_THROW(to_request(e, 1024), MalformedEvent);
  auto m = event();
  m["requestContext"].as_object()["http"].as_object().erase("method");
  EXPECT_THROW(to_request(m, 1024), MalformedEvent);
}

TEST(ApiGatewayResponse, CarriesStatusHeadersAndTextBody) {
  http::Response r;
  r.status = 201;
  r.headers.set("Content-Type", "application/json");
  r.headers.add("Vary", "Origin");
  r.headers.add("Vary", "Accept-Encoding");
  r.body = R"({"name":"Café"})";
  auto out = response_json(r);
  EXPECT_EQ(out.at("statusCode").as_int64(), 201);
  EXPECT_EQ(out.at("headers").at("Content-Type").as_string(), "application/json");
  EXPECT_EQ(out.at("headers").at("Vary").as_string(), "Origin, Accept-Encoding");
  EXPECT_EQ(out.at("body").as_string(), R"({"name":"Café"})");
  EXPECT_FALSE(out.at("isBase64Encoded").as_bool());
  EXPECT_FALSE(out.contains("cookies"));
}

TEST(ApiGatewayResponse, SendsEachSetCookieInCookies) {
  http::Response r;
  r.headers.add("Set-Cookie", "refresh_token=abc; HttpOnly; Secure; Path=/api/auth");
  r.headers.add("Set-Cookie", "other=1; Path=/");
  auto out = response_json(r);
  ASSERT_EQ(out.at("cookies").as_array().size(), 2u);
  EXPECT_EQ(out.at("cookies").as_array()[0].as_string(), "refresh_token=abc; HttpOnly; Secure; Path=/api/auth");
  EXPECT_EQ(out.at("cookies").as_array()[1].as_string(), "other=1; Path=/");
  EXPECT_FALSE(out.at("headers").as_object().contains("Set-Cookie"));
}

TEST(ApiGatewayResponse, EncodesBinaryBodiesAsBase64) {
  http::Response r;
  r.body = std::string("\x00\xff\x10", 3);
  auto out = response_json(r);
  EXPECT_TRUE(out.at("isBase64Encoded").as_bool());
  EXPECT_EQ(out.at("body").as_string(), "AP8Q");
}

TEST(ApiGatewayResponse, TreatsMalformedUtf8AsBinary) {
  for (std::string bad : {std::string("\xc0\xaf"),           // overlong "/"
                          std::string("\xed\xa0\x80"),       // a surrogate
                          std::string("\xf4\x90\x80\x80"),   // above U+10FFFF
                          std::string("ok\xe2\x82"),         // cut short
                          std::string("\x80")}) {            // a lone continuation byte
    http::Response r;
    r.body = bad;
    EXPECT_TRUE(response_json(r).at("isBase64Encoded").as_bool()) << "bytes of length " << bad.size();
  }
  http::Response good;
  good.body = "\xf0\x9f\x9b\x92 \xe2\x82\xac";  // 🛒 €
  EXPECT_FALSE(response_json(good).at("isBase64Encoded").as_bool());
}

TEST(ApiGatewayResponse, HeadAnswersCarryNoBody) {
  http::Response r;
  r.body = "{}";
  auto out = response_json(r, http::Method::head);
  EXPECT_EQ(out.at("body").as_string(), "");
}

}  // namespace
