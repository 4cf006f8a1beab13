// RuntimeApiClient against the test Runtime API over a real socket.

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <future>

#include "lambda/runtime_api_client.hpp"
#include "support/lambda_runtime_emulator.hpp"

using mercato::lambda::FunctionError;
using mercato::lambda::ResponseRejected;
using mercato::lambda::RuntimeApiClient;
using mercato::lambda::RuntimeApiError;
using mercato::testing::LambdaOutcome;
using mercato::testing::LambdaRuntimeEmulator;
using namespace std::chrono_literals;

namespace {

TEST(RuntimeApiClient, FetchesAnInvocationWithItsContext) {
  LambdaRuntimeEmulator runtime;
  auto id = runtime.invoke(R"({"hello":"world"})", "Root=1-abc;Sampled=0");
  RuntimeApiClient client(runtime.endpoint());
  auto invocation = client.next();
  EXPECT_EQ(invocation.request_id, id);
  EXPECT_EQ(invocation.event, R"({"hello":"world"})");
  EXPECT_EQ(invocation.trace_id, "Root=1-abc;Sampled=0");
  EXPECT_EQ(invocation.function_arn, "arn:aws:lambda:eu-west-1:123456789012:function:mercato:live");
  EXPECT_EQ(invocation.deadline_ms, 4102444800000);
}

TEST(RuntimeApiClient, PostsResponsesOnOneConnectionInTurn) {
  LambdaRuntimeEmulator runtime;
  RuntimeApiClient client(runtime.endpoint());
  for (int i = 0; i < 3; ++i) {
    auto id = runtime.invoke("{}");
    auto invocation = client.next();
    client.respond(invocation.request_id, R"({"n":)" + std::to_string(i) + "}");
    auto outcome = runtime.wait_for(id, 5s);
    ASSERT_TRUE(outcome);
    EXPECT_EQ(outcome->kind, LambdaOutcome::Kind::response);
    EXPECT_EQ(outcome->body, R"({"n":)" + std::to_string(i) + "}");
  }
}

TEST(RuntimeApiClient, PostsAnInvocationErrorWithItsType) {
  LambdaRuntimeEmulator runtime;
  RuntimeApiClient client(runtime.endpoint());
  auto id = runtime.invoke("{}");
  client.fail(client.next().request_id, FunctionError{"Runtime.MalformedEvent", "bad \"event\""});
  auto outcome = runtime.wait_for(id, 5s);
  ASSERT_TRUE(outcome);
  EXPECT_EQ(outcome->kind, LambdaOutcome::Kind::error);
  EXPECT_EQ(outcome->error_type, "Runtime.MalformedEvent");
  auto document = boost::json::parse(outcome->body).as_object();
  EXPECT_EQ(document.at("errorType").as_string(), "Runtime.MalformedEvent");
  EXPECT_EQ(document.at("errorMessage").as_string(), "bad \"event\"");
}

TEST(RuntimeApiClient, ReportsInitErrors) {
  LambdaRuntimeEmulator runtime;
  RuntimeApiClient client(runtime.endpoint());
  client.fail_init(FunctionError{"Runtime.ConfigError", "JWT_SECRET: is required"});
  auto outcome = runtime.wait_for_init_error(5s);
  ASSERT_TRUE(outcome);
  EXPECT_EQ(outcome->error_type, "Runtime.ConfigError");
  EXPECT_EQ(boost::json::parse(outcome->body).at("errorMessage").as_string(), "JWT_SECRET: is required");
}

TEST(RuntimeApiClient, ARefusedResponseLeavesTheInvocationOpenForAnError) {
  LambdaRuntimeEmulator runtime(16);
  RuntimeApiClient client(runtime.endpoint());
  auto id = runtime.invoke("{}");
  auto invocation = client.next();
  EXPECT_THROW(client.respond(invocation.request_id, std::string(17, 'x')), ResponseRejected);
  client.fail(invocation.request_id, FunctionError{"Runtime.ResponseTooLarge", "too large"});
  auto outcome = runtime.wait_for(id, 5s);
  ASSERT_TRUE(outcome);
  EXPECT_EQ(outcome->error_type, "Runtime.ResponseTooLarge");
}

TEST(RuntimeApiClient, AnApiThatGoesAwayIsAnError) {
  std::string endpoint;
  std::future<void> waiting;
  {
    auto runtime = std::make_unique<LambdaRuntimeEmulator>();
    endpoint = runtime->endpoint();
    RuntimeApiClient client(endpoint);
    waiting = std::async(std::launch::async, [&client] { client.next(); });
    while (runtime->next_requests() == 0) std::this_thread::sleep_for(5ms);
    runtime.reset();  // answers the waiting poll with 500 and closes
    EXPECT_THROW(waiting.get(), RuntimeApiError);
  }
  RuntimeApiClient nobody(endpoint);  // nothing listens there now
  EXPECT_THROW(nobody.next(), RuntimeApiError);
}

TEST(RuntimeApiClient, RefusesAnEndpointWithoutPort) {
  EXPECT_THROW(RuntimeApiClient("localhost"), RuntimeApiError);
  EXPECT_THROW(RuntimeApiClient("localhost:"), RuntimeApiError);
}

}  // namespace
