#include <gtest/gtest.h>

#include <regex>

#include "http/conditional.hpp"

using namespace mercato::http;

namespace {

constexpr std::string_view cache = "public, max-age=30, stale-while-revalidate=60";

Response json_ok(std::string body, int status = 200) {
  Response response;
  response.status = status;
  response.headers.set("Content-Type", "application/json");
  response.body = std::move(body);
  return response;
}

Request get_with(std::initializer_list<std::string> if_none_match) {
  Request request;
  request.method = Method::get;
  for (const auto& value : if_none_match) request.headers.add("If-None-Match", value);
  return request;
}

std::string etag_of(const Response& response) { return std::string(response.headers.get("ETag").value_or("")); }

}  // namespace

TEST(IfNoneMatch, ExactTagMatches) {
  EXPECT_TRUE(if_none_match_matches("\"abc\"", "\"abc\""));
  EXPECT_FALSE(if_none_match_matches("\"abd\"", "\"abc\""));
  EXPECT_FALSE(if_none_match_matches("\"ab\"", "\"abc\""));
}

TEST(IfNoneMatch, WeakComparisonIgnoresWPrefixOnEitherSide) {
  EXPECT_TRUE(if_none_match_matches("W/\"abc\"", "\"abc\""));
  EXPECT_TRUE(if_none_match_matches("\"abc\"", "W/\"abc\""));
  EXPECT_TRUE(if_none_match_matches("W/\"abc\"", "W/\"abc\""));
  EXPECT_FALSE(if_none_match_matches("W/\"abd\"", "\"abc\""));
}

TEST(IfNoneMatch, AnyTagOfACommaSeparatedListMatches) {
  EXPECT_TRUE(if_none_match_matches("\"x\", \"abc\"", "\"abc\""));
  EXPECT_TRUE(if_none_match_matches("\"abc\",\"x\"", "\"abc\""));
  EXPECT_TRUE(if_none_match_matches("  \"x\" ,\t W/\"abc\"  , \"y\"", "\"abc\""));
  EXPECT_TRUE(if_none_match_matches("\"x\",, \"abc\"", "\"abc\""));
  EXPECT_FALSE(if_none_match_matches("\"x\", \"y\", W/\"z\"", "\"abc\""));
}

TEST(IfNoneMatch, StarMatchesAnyTag) {
  EXPECT_TRUE(if_none_match_matches("*", "\"abc\""));
  EXPECT_TRUE(if_none_match_matches(" * ", "\"0123\""));
}

TEST(IfNoneMatch, EmptyOrBlankMatchesNothing) {
  EXPECT_FALSE(if_none_match_matches("", "\"abc\""));
  EXPECT_FALSE(if_none_match_matches("   ", "\"abc\""));
  EXPECT_FALSE(if_none_match_matches(" , ,", "\"abc\""));
}

TEST(IfNoneMatch, TagIsComparedWithItsQuotes) {
  EXPECT_FALSE(if_none_match_matches("abc", "\"abc\""));
}

TEST(Cacheable, SetsAStrongEtagOf32LowerHexAndCacheControl) {
  auto response = cacheable(Request{}, json_ok("{\"id\":1}"), cache);
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "{\"id\":1}");
  auto etag = etag_of(response);
  EXPECT_TRUE(std::regex_match(etag, std::regex("\"[0-9a-f]{32}\""))) << etag;
  EXPECT_EQ(response.headers.get("Cache-Control"), "public, max-age=30, stale-while-revalidate=60");
  EXPECT_EQ(response.headers.get("Content-Type"), "application/json");
}

TEST(Cacheable, EtagIsAFunctionOfTheBody) {
  auto a1 = etag_of(cacheable(Request{}, json_ok("{\"id\":1}"), cache));
  auto a2 = etag_of(cacheable(Request{}, json_ok("{\"id\":1}"), cache));
  auto b = etag_of(cacheable(Request{}, json_ok("{\"id\":2}"), cache));
  auto empty = etag_of(cacheable(Request{}, json_ok(""), cache));
  EXPECT_EQ(a1, a2);
  EXPECT_NE(a1, b);
  EXPECT_NE(a1, empty);
  EXPECT_NE(b, empty);
}

TEST(Cacheable, ReplacesACacheControlAlreadySet) {
  auto original = json_ok("{}");
  original.headers.set("Cache-Control", "no-store");
  auto response = cacheable(Request{}, std::move(original), "private, max-age=5");
  EXPECT_EQ(response.headers.get("Cache-Control"), "private, max-age=5");
  EXPECT_EQ(response.headers.get_joined("Cache-Control"), "private, max-age=5");
}

TEST(Cacheable, MatchingIfNoneMatchGives304WithoutBodyOrContentType) {
  auto etag = etag_of(cacheable(Request{}, json_ok("{\"id\":1}"), cache));
  auto response = cacheable(get_with({etag}), json_ok("{\"id\":1}"), cache);
  EXPECT_EQ(response.status, 304);
  EXPECT_EQ(response.body, "");
  EXPECT_FALSE(response.headers.contains("Content-Type"));
  EXPECT_EQ(etag_of(response), etag);
  EXPECT_EQ(response.headers.get("Cache-Control"), "public, max-age=30, stale-while-revalidate=60");
}

TEST(Cacheable, WeakListAndStarForms304) {
  auto etag = etag_of(cacheable(Request{}, json_ok("[1,2]"), cache));
  EXPECT_EQ(cacheable(get_with({"W/" + etag}), json_ok("[1,2]"), cache).status, 304);
  EXPECT_EQ(cacheable(get_with({"\"00000000000000000000000000000000\", " + etag}), json_ok("[1,2]"), cache).status,
            304);
  EXPECT_EQ(cacheable(get_with({"*"}), json_ok("[1,2]"), cache).status, 304);
}

TEST(Cacheable, StaleTagGivesTheFullResponse) {
  auto old_etag = etag_of(cacheable(Request{}, json_ok("{\"v\":1}"), cache));
  auto response = cacheable(get_with({old_etag}), json_ok("{\"v\":2}"), cache);
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "{\"v\":2}");
  EXPECT_EQ(response.headers.get("Content-Type"), "application/json");
  EXPECT_NE(etag_of(response), old_etag);
}

TEST(Cacheable, NonOkResponseIsNever304) {
  for (int status : {201, 204, 206, 404}) {
    auto body = status == 204 ? std::string() : std::string("{\"s\":1}");
    auto etag = etag_of(cacheable(Request{}, json_ok(body, status), cache));
    for (const auto& condition : {etag, std::string("*")}) {
      auto response = cacheable(get_with({condition}), json_ok(body, status), cache);
      EXPECT_EQ(response.status, status) << condition;
      EXPECT_EQ(response.body, body) << status;
      EXPECT_TRUE(response.headers.contains("Content-Type")) << status;
    }
  }
}

TEST(Cacheable, RepeatedIfNoneMatchHeadersAreCombined) {
  auto etag = etag_of(cacheable(Request{}, json_ok("{\"id\":7}"), cache));
  auto later = cacheable(get_with({"\"aaaa\"", etag}), json_ok("{\"id\":7}"), cache);
  EXPECT_EQ(later.status, 304);
  auto first = cacheable(get_with({etag, "\"bbbb\""}), json_ok("{\"id\":7}"), cache);
  EXPECT_EQ(first.status, 304);
  auto neither = cacheable(get_with({"\"aaaa\"", "\"bbbb\""}), json_ok("{\"id\":7}"), cache);
  EXPECT_EQ(neither.status, 200);
}

TEST(Cacheable, IfNoneMatchHeaderNameIsCaseInsensitive) {
  auto etag = etag_of(cacheable(Request{}, json_ok("{}"), cache));
  Request request;
  request.headers.add("if-none-match", etag);
  EXPECT_EQ(cacheable(request, json_ok("{}"), cache).status, 304);
}
