// Parameter reading: unknown names, conversions and Stripe's error codes.

#include <gtest/gtest.h>

#include "stripe_emulator/form_body.hpp"
#include "stripe_emulator/params.hpp"
#include "stripe_emulator/stripe_errors.hpp"

using namespace mercato::stripe_emulator;

namespace {

// The error a call throws, as {code, param}.
template <class F>
std::pair<std::string, std::string> error_of(F&& call) {
  try {
    call();
  } catch (const StripeApiError& e) {
    auto text = [&](const char* key) {
      auto* v = e.error().if_contains(key);
      return v ? std::string(v->as_string()) : std::string();
    };
    return {text("code"), text("param")};
  }
  return {"no error", ""};
}

}  // namespace

TEST(StripeEmulatorParams, UnknownNamesAreRefusedWithTheirFullName) {
  EXPECT_EQ(error_of([] { Params(decode_form("amount=1&foo=bar"), {"amount"}); }),
            (std::pair<std::string, std::string>{"parameter_unknown", "foo"}));
  Params params(decode_form("automatic_payment_methods[enabled]=true&automatic_payment_methods[foo]=1"),
                {"automatic_payment_methods"});
  EXPECT_EQ(error_of([&] { params.nested("automatic_payment_methods", {"enabled"}); }),
            (std::pair<std::string, std::string>{"parameter_unknown", "automatic_payment_methods[foo]"}));
}

TEST(StripeEmulatorParams, IntegersAndBooleans) {
  Params params(decode_form("a=42&b=-7&c=1.5&d=12abc&t=true&f=false&x=yes"), {"a", "b", "c", "d", "t", "f", "x"});
  EXPECT_EQ(params.integer("a"), 42);
  EXPECT_EQ(params.integer("b"), -7);
  EXPECT_EQ(params.integer("missing"), std::nullopt);
  EXPECT_EQ(error_of([&] { params.integer("c"); }).first, "parameter_invalid_integer");
  EXPECT_EQ(error_of([&] { params.integer("d"); }).second, "d");
  EXPECT_EQ(params.boolean("t"), true);
  EXPECT_EQ(params.boolean("f"), false);
  EXPECT_EQ(error_of([&] { params.boolean("x"); }).second, "x");
}

TEST(StripeEmulatorParams, EmptyMeansAbsent) {
  Params params(decode_form("description=&currency="), {"description", "currency"});
  EXPECT_FALSE(params.has("description"));
  EXPECT_EQ(params.text("description"), std::nullopt);
  EXPECT_EQ(error_of([&] { params.required_text("currency"); }),
            (std::pair<std::string, std::string>{"parameter_missing", "currency"}));
}

TEST(StripeEmulatorParams, ListsFromBracketsOrIndexes) {
  Params params(decode_form("a[]=x&a[]=y&b[1]=second&b[0]=first&c=plain"), {"a", "b", "c"});
  EXPECT_EQ(params.list("a"), (std::vector<std::string>{"x", "y"}));
  EXPECT_EQ(params.list("b"), (std::vector<std::string>{"first", "second"}));
  EXPECT_TRUE(params.list("missing").empty());
  EXPECT_EQ(error_of([&] { params.list("c"); }).second, "c");
}

TEST(StripeEmulatorParams, MetadataWithinStripesLimits) {
  Params ok(decode_form("metadata[order_id]=o1&metadata[dropped]="), {"metadata"});
  EXPECT_EQ(ok.metadata(), (boost::json::object{{"order_id", "o1"}}));
  Params long_key(decode_form("metadata[" + std::string(41, 'k') + "]=v"), {"metadata"});
  EXPECT_NE(error_of([&] { long_key.metadata(); }).first, "no error");
  Params long_value(decode_form("metadata[k]=" + std::string(501, 'v')), {"metadata"});
  EXPECT_NE(error_of([&] { long_value.metadata(); }).first, "no error");
  std::string many;
  for (int i = 0; i < 51; ++i) many += "metadata[k" + std::to_string(i) + "]=v&";
  Params too_many(decode_form(many), {"metadata"});
  EXPECT_NE(error_of([&] { too_many.metadata(); }).first, "no error");
  Params not_a_hash(decode_form("metadata=flat"), {"metadata"});
  EXPECT_EQ(error_of([&] { not_a_hash.metadata(); }).second, "metadata");
}

TEST(StripeEmulatorErrors, MasksAllButTheLastFourAfterTheModePrefix) {
  EXPECT_EQ(mask_api_key("sk_live_abcdefgh1234"), "sk_live_********1234");
  EXPECT_EQ(mask_api_key("pk_test_abcd"), "pk_test_****");
  EXPECT_EQ(mask_api_key("garbage-key-9876"), "************9876");
  EXPECT_EQ(mask_api_key("abc"), "***");
}

TEST(StripeEmulatorErrors, CodesCarryADocUrl) {
  auto error = parameter_missing("amount");
  EXPECT_EQ(error.status(), 400);
  EXPECT_EQ(error.error().at("doc_url"), "https://stripe.com/docs/error-codes/parameter-missing");
  EXPECT_EQ(error.error().at("message"), "Missing required param: amount.");
  EXPECT_EQ(error.phase(), ErrorPhase::validation);
  EXPECT_EQ(resource_missing("refund", "refund", "re_x").phase(), ErrorPhase::execution);
}
