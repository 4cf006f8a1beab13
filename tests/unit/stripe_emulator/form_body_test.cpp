// The form decoder: bracket notation, arrays, percent-encoding, and what it refuses.

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "stripe_emulator/form_body.hpp"

using mercato::stripe_emulator::decode_form;
using mercato::stripe_emulator::FormError;
using mercato::stripe_emulator::split_form;

namespace {

boost::json::value json(std::string_view text) { return boost::json::parse(text); }

}  // namespace

TEST(StripeEmulatorFormBody, NestsBracketNames) {
  EXPECT_EQ(decode_form("amount=2000&metadata[order_id]=o-1&metadata[payment_id]=p-2"),
            json(R"({"amount":"2000","metadata":{"order_id":"o-1","payment_id":"p-2"}})"));
  EXPECT_EQ(decode_form("a[b][c]=d"), json(R"({"a":{"b":{"c":"d"}}})"));
}

TEST(StripeEmulatorFormBody, EmptyBracketsAppendToAnArray) {
  EXPECT_EQ(decode_form("expand[]=latest_charge&expand[]=payment_method"),
            json(R"({"expand":["latest_charge","payment_method"]})"));
  EXPECT_EQ(decode_form("a[b][]=1&a[b][]=2"), json(R"({"a":{"b":["1","2"]}})"));
}

TEST(StripeEmulatorFormBody, IndexedNamesAreObjectsKeyedByIndex) {
  EXPECT_EQ(decode_form("expand[1]=b&expand[0]=a"), json(R"({"expand":{"1":"b","0":"a"}})"));
}

TEST(StripeEmulatorFormBody, PercentEncodedBracketsMeanTheSame) {
  EXPECT_EQ(decode_form("metadata%5Border_id%5D=o-1&expand%5B%5D=x&expand%5b%5d=y"),
            json(R"({"metadata":{"order_id":"o-1"},"expand":["x","y"]})"));
}

TEST(StripeEmulatorFormBody, PlusIsSpaceAndEscapesDecode) {
  EXPECT_EQ(decode_form("description=Two+words%21%20and%2Bplus&na+me=v"),
            json(R"({"description":"Two words! and+plus","na me":"v"})"));
  EXPECT_EQ(decode_form("d=%E2%82%AC%C3%A9"), json("{\"d\":\"\u20ac\u00e9\"}"));
  EXPECT_EQ(decode_form("d=a%3Db%26c"), json(R"({"d":"a=b&c"})"));
}

TEST(StripeEmulatorFormBody, EmptyValuesAndPieces) {
  EXPECT_EQ(decode_form("&&a=&b&c=1&"), json(R"({"a":"","b":"","c":"1"})"));
  EXPECT_TRUE(decode_form("").empty());
}

TEST(StripeEmulatorFormBody, RepeatedPlainNameLastWins) { EXPECT_EQ(decode_form("a=1&a=2"), json(R"({"a":"2"})")); }

TEST(StripeEmulatorFormBody, SplitKeepsOrderAndDecodes) {
  auto fields = split_form("b=2&a%5Bx%5D=1+2&b=3");
  ASSERT_EQ(fields.size(), 3u);
  EXPECT_EQ(fields[0], (std::pair<std::string, std::string>{"b", "2"}));
  EXPECT_EQ(fields[1], (std::pair<std::string, std::string>{"a[x]", "1 2"}));
  EXPECT_EQ(fields[2], (std::pair<std::string, std::string>{"b", "3"}));
}

TEST(StripeEmulatorFormBody, RefusesBadEscapesAndInvalidUtf8) {
  for (auto text : {"a=%zz", "a=%4", "a=%", "a%=1", "a=%ff", "a=%C0%AF", "a=%ED%A0%80", "a=%E2%82"})
    EXPECT_THROW(decode_form(text), FormError) << text;
}

TEST(StripeEmulatorFormBody, RefusesMalformedNames) {
  for (auto text : {"a[b=1", "[b]=1", "=1", "a[b]c=1", "a[][b]=1", "a[b[c]]=1", "a[1][2][3][4][5][6][7][8]=x"})
    EXPECT_THROW(decode_form(text), FormError) << text;
}

TEST(StripeEmulatorFormBody, RefusesANameUsedAsValueAndContainer) {
  for (auto text : {"a=1&a[b]=2", "a[b]=2&a=1", "a[]=1&a=2", "a=1&a[]=2", "a[b]=1&a[]=2", "a[]=1&a[b]=2"})
    EXPECT_THROW(decode_form(text), FormError) << text;
}
