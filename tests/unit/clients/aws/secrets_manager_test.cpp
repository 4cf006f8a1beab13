// GetSecretValue over a scripted HttpClient: the request AWS expects, errors mapped without
// secret values, transport failures retried twice with a fresh signature each time.

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <regex>

#include "clients/aws/secrets_manager.hpp"
#include "support/fixed_clock.hpp"
#include "unit/clients/stripe/stripe_fakes.hpp"

namespace {

using namespace mercato::clients::aws;
using mercato::clients::HttpTransportError;
using mercato::testing::header_of;
using mercato::testing::ScriptedHttpClient;
using namespace std::chrono;

constexpr const char* arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:mercato/app-AbCdEf";

class SecretsManagerClientTest : public ::testing::Test {
 protected:
  SecretsManagerClient client(std::string endpoint = {}) {
    SecretsManagerOptions options{"eu-west-1", std::move(endpoint), {"ASIAEXAMPLE", "example-secret-key", "session-token-1"}};
    return SecretsManagerClient(http, clock, options, [this](milliseconds d) {
      sleeps.push_back(d);
      clock.advance(d);
    });
  }

  ScriptedHttpClient http;
  mercato::testing::FixedClock clock{sys_days{2026y / 11 / 25} + 9h + 30min};
  std::vector<milliseconds> sleeps;
};

TEST_F(SecretsManagerClientTest, SendsASignedGetSecretValueCall) {
  http.reply(200, R"({"ARN":"x","Name":"mercato/app","SecretString":"{\"JWT_SECRET\":\"s3cret\"}","VersionId":"v1"})");
  EXPECT_EQ(client().get_secret_string(arn), R"({"JWT_SECRET":"s3cret"})");
  ASSERT_EQ(http.calls.size(), 1u);
  const auto& call = http.calls[0];
  EXPECT_EQ(call.method, "POST");
  EXPECT_EQ(call.url, "https://secretsmanager.eu-west-1.amazonaws.com/");
  EXPECT_EQ(header_of(call, "Content-Type"), "application/x-amz-json-1.1");
  EXPECT_EQ(header_of(call, "X-Amz-Target"), "secretsmanager.GetSecretValue");
  EXPECT_EQ(header_of(call, "X-Amz-Date"), "20261125T093000Z");
  EXPECT_EQ(header_of(call, "X-Amz-Security-Token"), "session-token-1");
  EXPECT_EQ(boost::json::parse(call.body), boost::json::parse(std::string(R"({"SecretId":")") + arn + "\"}"));
  auto authorization = header_of(call, "Authorization").value_or("");
  EXPECT_TRUE(std::regex_match(
      authorization,
      std::regex("AWS4-HMAC-SHA256 Credential=ASIAEXAMPLE/20261125/eu-west-1/secretsmanager/aws4_request, "
                 "SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-amz-target, "
                 "Signature=[0-9a-f]{64}")))
      << authorization;
  EXPECT_EQ(call.connect_timeout, seconds{3});
  EXPECT_EQ(call.total_timeout, seconds{5});
}

TEST_F(SecretsManagerClientTest, UsesAnOverriddenEndpoint) {
  http.reply(200, R"({"SecretString":"x"})");
  client("http://127.0.0.1:4566/").get_secret_string(arn);
  EXPECT_EQ(http.calls.at(0).url, "http://127.0.0.1:4566/");
}

TEST_F(SecretsManagerClientTest, AnErrorNamesItsTypeAndTheSecretId) {
  http.reply(400, R"({"__type":"ResourceNotFoundException","Message":"Secrets Manager can't find the specified secret."})");
  try {
    client().get_secret_string(arn);
    FAIL() << "expected SecretsManagerError";
  } catch (const SecretsManagerError& e) {
    EXPECT_EQ(e.error_type(), "ResourceNotFoundException");
    EXPECT_EQ(e.status(), 400);
    std::string what = e.what();
    EXPECT_NE(what.find("ResourceNotFoundException"), std::string::npos) << what;
    EXPECT_NE(what.find(arn), std::string::npos) << what;
  }
  EXPECT_EQ(http.calls.size(), 1u) << "an answer is not retried";
}

TEST_F(SecretsManagerClientTest, ANamespacedErrorTypeIsShortened) {
  http.reply(400, R"({"__type":"com.amazonaws.secretsmanager#AccessDeniedException:http://internal","message":"no"})");
  try {
    client().get_secret_string(arn);
    FAIL() << "expected SecretsManagerError";
  } catch (const SecretsManagerError& e) {
    EXPECT_EQ(e.error_type(), "AccessDeniedException");
  }
}

TEST_F(SecretsManagerClientTest, AnAnswerThatIsNotJsonIsNamedByItsStatus) {
  http.reply(502, "<html>Bad Gateway</html>");
  try {
    client().get_secret_string(arn);
    FAIL() << "expected SecretsManagerError";
  } catch (const SecretsManagerError& e) {
    EXPECT_EQ(e.error_type(), "HTTP 502");
    EXPECT_EQ(e.status(), 502);
  }
}

TEST_F(SecretsManagerClientTest, ABinarySecretIsRefusedWithoutShowingIt) {
  http.reply(200, R"({"ARN":"x","SecretBinary":"c2VjcmV0LWJ5dGVz"})");
  try {
    client().get_secret_string(arn);
    FAIL() << "expected SecretsManagerError";
  } catch (const SecretsManagerError& e) {
    EXPECT_EQ(e.error_type(), "NoSecretString");
    EXPECT_EQ(std::string(e.what()).find("c2VjcmV0"), std::string::npos) << e.what();
  }
}

TEST_F(SecretsManagerClientTest, RetriesTransportErrorsTwiceSigningEachAttemptAnew) {
  http.fail("http: Couldn't connect to server");
  http.fail("http: Timeout was reached");
  http.reply(200, R"({"SecretString":"third time"})");
  EXPECT_EQ(client().get_secret_string(arn), "third time");
  ASSERT_EQ(http.calls.size(), 3u);
  EXPECT_EQ(sleeps, (std::vector<milliseconds>{milliseconds{100}, milliseconds{300}}));
  EXPECT_EQ(header_of(http.calls[0], "X-Amz-Date"), "20261125T093000Z");
  EXPECT_EQ(header_of(http.calls[2], "X-Amz-Date"), "20261125T093000Z") << "0.4 s later, same second";
  EXPECT_NE(header_of(http.calls[0], "Authorization"), std::nullopt);
}

TEST_F(SecretsManagerClientTest, GivesUpAfterThreeTransportErrors) {
  for (int i = 0; i < 3; ++i) http.fail("http: Timeout was reached");
  EXPECT_THROW(client().get_secret_string(arn), HttpTransportError);
  EXPECT_EQ(http.calls.size(), 3u);
  EXPECT_EQ(sleeps.size(), 2u);
}

TEST_F(SecretsManagerClientTest, EachAttemptCarriesItsOwnTime) {
  clock.advance(milliseconds{900});  // 09:30:00.9: the first backoff crosses a second
  http.fail();
  http.reply(200, R"({"SecretString":"x"})");
  client().get_secret_string(arn);
  EXPECT_EQ(header_of(http.calls[0], "X-Amz-Date"), "20261125T093000Z");
  EXPECT_EQ(header_of(http.calls[1], "X-Amz-Date"), "20261125T093001Z");
  EXPECT_NE(header_of(http.calls[0], "Authorization"), header_of(http.calls[1], "Authorization"));
  long dates = 0;
  for (const auto& [name, value] : http.calls[1].headers) dates += name == "X-Amz-Date";
  EXPECT_EQ(dates, 1) << "a retried call is built afresh, not signed twice";
}

}  // namespace
