// SigV4 against AWS's published Signature Version 4 test suite (aws-sig-v4-test-suite:
// AKIDEXAMPLE, 2015-08-30T12:36:00Z, us-east-1, service "service") and against one
// Secrets Manager request signed independently in Python.

#include <gtest/gtest.h>

#include "clients/aws/sigv4.hpp"
#include "support/fixed_clock.hpp"

namespace {

using mercato::clients::HttpCall;
using namespace mercato::clients::aws;
using namespace std::chrono;

const Credentials suite_credentials{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", ""};
const SigningScope suite_scope{"us-east-1", "service"};
constexpr const char* suite_credential = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, ";

// The suite's session token (post-sts-token).
constexpr const char* suite_token =
    "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7"
    "mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q"
    "6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==";

HttpCall suite_call(std::string method, std::string url, mercato::clients::HeaderList headers = {}, std::string body = {}) {
  HttpCall call;
  call.method = std::move(method);
  call.url = std::move(url);
  call.headers = std::move(headers);
  call.headers.emplace_back("X-Amz-Date", "20150830T123600Z");
  call.body = std::move(body);
  return call;
}

TEST(SigV4Suite, GetVanilla) {
  auto signature = signature_of(suite_call("GET", "https://example.amazonaws.com/"), suite_credentials, suite_scope);
  EXPECT_EQ(signature.canonical_request,
            "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n"
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(signature.string_to_sign,
            "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n"
            "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63");
  EXPECT_EQ(signature.authorization,
            std::string(suite_credential) +
                "SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
}

TEST(SigV4Suite, GetVanillaQueryOrderKeyCase) {
  auto signature = signature_of(suite_call("GET", "https://example.amazonaws.com/?Param2=value2&Param1=value1"),
                                suite_credentials, suite_scope);
  EXPECT_EQ(signature.canonical_request,
            "GET\n/\nParam1=value1&Param2=value2\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\n"
            "host;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(signature.authorization,
            std::string(suite_credential) +
                "SignedHeaders=host;x-amz-date, Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500");
}

TEST(SigV4Suite, PostVanilla) {
  auto signature = signature_of(suite_call("POST", "https://example.amazonaws.com/"), suite_credentials, suite_scope);
  EXPECT_EQ(signature.authorization,
            std::string(suite_credential) +
                "SignedHeaders=host;x-amz-date, Signature=5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b");
}

TEST(SigV4Suite, PostXWwwFormUrlencoded) {
  auto signature = signature_of(suite_call("POST", "https://example.amazonaws.com/",
                                           {{"Content-Type", "application/x-www-form-urlencoded"}}, "Param1=value1"),
                                suite_credentials, suite_scope);
  EXPECT_EQ(signature.canonical_request,
            "POST\n/\n\ncontent-type:application/x-www-form-urlencoded\nhost:example.amazonaws.com\n"
            "x-amz-date:20150830T123600Z\n\ncontent-type;host;x-amz-date\n"
            "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e");
  EXPECT_EQ(signature.authorization,
            std::string(suite_credential) + "SignedHeaders=content-type;host;x-amz-date, "
                                            "Signature=ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a");
}

// post-sts-token/post-sts-header-before: the session token is signed as a header.
TEST(SigV4Suite, PostStsHeaderBefore) {
  auto signature = signature_of(
      suite_call("POST", "https://example.amazonaws.com/", {{"X-Amz-Security-Token", suite_token}}),
      suite_credentials, suite_scope);
  EXPECT_EQ(signature.authorization,
            std::string(suite_credential) + "SignedHeaders=host;x-amz-date;x-amz-security-token, "
                                            "Signature=85d96828115b5dc0cfc3bd16ad9e210dd772bbebba041836c64533a82be05ead");
}

TEST(SigV4Suite, GetHeaderValueTrim) {
  auto signature = signature_of(suite_call("GET", "https://example.amazonaws.com/",
                                           {{"My-Header1", " value1"}, {"My-Header2", "\"a   b   c\""}}),
                                suite_credentials, suite_scope);
  EXPECT_NE(signature.canonical_request.find("my-header1:value1\nmy-header2:\"a b c\"\n"), std::string::npos)
      << signature.canonical_request;
  EXPECT_EQ(signature.authorization,
            std::string(suite_credential) + "SignedHeaders=host;my-header1;my-header2;x-amz-date, "
                                            "Signature=acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736");
}

TEST(SigV4, EncodesPathSegmentsAndQueryOnce) {
  auto signature = signature_of(suite_call("GET", "https://example.amazonaws.com/a%20b/c~d?b=%2Fx&a=1+2&a=0"),
                                suite_credentials, suite_scope);
  auto lines = signature.canonical_request;
  EXPECT_EQ(lines.substr(0, lines.find("\nhost")), "GET\n/a%20b/c~d\na=0&a=1%2B2&b=%2Fx");
}

TEST(SigV4, ThePortIsPartOfTheHostWhenItIsNotTheDefault) {
  auto local = signature_of(suite_call("POST", "http://127.0.0.1:4566/"), suite_credentials, suite_scope);
  EXPECT_NE(local.canonical_request.find("\nhost:127.0.0.1:4566\n"), std::string::npos) << local.canonical_request;
  auto standard = signature_of(suite_call("POST", "https://example.amazonaws.com:443/"), suite_credentials, suite_scope);
  EXPECT_NE(standard.canonical_request.find("\nhost:example.amazonaws.com\n"), std::string::npos);
}

TEST(SigV4, RefusesACallWithoutDateOrWithABadUrl) {
  HttpCall undated;
  undated.url = "https://example.amazonaws.com/";
  EXPECT_THROW(signature_of(undated, suite_credentials, suite_scope), std::invalid_argument);
  auto broken = suite_call("GET", "not a url");
  EXPECT_THROW(signature_of(broken, suite_credentials, suite_scope), std::invalid_argument);
}

TEST(SigV4, AmzDateIsUtcBasicFormat) {
  EXPECT_EQ(amz_date(sys_days{2015y / 8 / 30} + 12h + 36min), "20150830T123600Z");
  EXPECT_EQ(amz_date(sys_days{2024y / 2 / 29} + 23h + 59min + 59s + 999ms), "20240229T235959Z");
  EXPECT_EQ(amz_date(sys_days{1970y / 1 / 1}), "19700101T000000Z");
}

// Signed independently with Python's hmac/hashlib (no code of ours):
//   import hashlib, hmac
//   def h(k, m): return hmac.new(k, m.encode(), hashlib.sha256).digest()
//   hd = {"content-type": "application/x-amz-json-1.1", "host": "secretsmanager.eu-west-1.amazonaws.com",
//         "x-amz-date": "20261125T093000Z", "x-amz-security-token": "IQoJb3JpZ2luX2VjEXAMPLETOKEN",
//         "x-amz-target": "secretsmanager.GetSecretValue"}
//   body = '{"SecretId":"arn:aws:secretsmanager:eu-west-1:123456789012:secret:mercato/production/app-AbCdEf"}'
//   names = sorted(hd)
//   creq = "\n".join(["POST", "/", "", "".join(f"{n}:{hd[n]}\n" for n in names), ";".join(names),
//                     hashlib.sha256(body.encode()).hexdigest()])
//   scope = "20261125/eu-west-1/secretsmanager/aws4_request"
//   sts = "\n".join(["AWS4-HMAC-SHA256", "20261125T093000Z", scope, hashlib.sha256(creq.encode()).hexdigest()])
//   k = h(h(h(h(b"AWS4wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20261125"), "eu-west-1"), "secretsmanager"),
//         "aws4_request")
//   print(hmac.new(k, sts.encode(), hashlib.sha256).hexdigest())
TEST(SigV4, SignsASecretsManagerCallAsPythonDoes) {
  mercato::testing::FixedClock clock{sys_days{2026y / 11 / 25} + 9h + 30min};
  HttpCall call;
  call.method = "POST";
  call.url = "https://secretsmanager.eu-west-1.amazonaws.com/";
  call.headers = {{"Content-Type", "application/x-amz-json-1.1"}, {"X-Amz-Target", "secretsmanager.GetSecretValue"}};
  call.body = R"({"SecretId":"arn:aws:secretsmanager:eu-west-1:123456789012:secret:mercato/production/app-AbCdEf"})";
  sign(call, {"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "IQoJb3JpZ2luX2VjEXAMPLETOKEN"},
       {"eu-west-1", "secretsmanager"}, clock);
  mercato::clients::HeaderList expected{
      {"Content-Type", "application/x-amz-json-1.1"},
      {"X-Amz-Target", "secretsmanager.GetSecretValue"},
      {"X-Amz-Date", "20261125T093000Z"},
      {"X-Amz-Security-Token", "IQoJb3JpZ2luX2VjEXAMPLETOKEN"},
      {"Authorization",
       "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261125/eu-west-1/secretsmanager/aws4_request, "
       "SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-amz-target, "
       "Signature=6f1d9d29932591ab98b3d942f0456c8aad923215c3d29e89062f6000b37f9252"}};
  EXPECT_EQ(call.headers, expected);
}

TEST(SigV4, LongLivedKeysSendNoSecurityToken) {
  mercato::testing::FixedClock clock;
  HttpCall call;
  call.url = "https://example.amazonaws.com/";
  sign(call, suite_credentials, suite_scope, clock);
  ASSERT_EQ(call.headers.size(), 2u);
  EXPECT_EQ(call.headers[0].first, "X-Amz-Date");
  EXPECT_EQ(call.headers[1].first, "Authorization");
  EXPECT_NE(call.headers[1].second.find("SignedHeaders=host;x-amz-date, "), std::string::npos);
}

}  // namespace
