// Cognito sign-in (issue 7): RS256 access and ID tokens from one user pool, verified with
// keys from a JWKS the test publishes through a fake HttpClient, and turned into local
// users on first sight. Everything goes through the real Application and router.

#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>

#include <boost/json/array.hpp>

#include "integration/accounts/accounts_test_support.hpp"
#include "support/fake_http_client.hpp"
#include "support/rsa_test_keys.hpp"

using namespace mercato;
using namespace mercato::testing::accounts;
using mercato::testing::AppHarness;
using mercato::testing::FakeHttpClient;
using mercato::testing::shared_rsa_key;
using mercato::testing::TestRsaKey;
namespace json = boost::json;

namespace {

constexpr std::string_view issuer = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Test";
constexpr std::string_view jwks_url = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Test/.well-known/jwks.json";
constexpr std::string_view client_id = "client-web";
constexpr std::string_view sub = "6f3e2a1c-7b8d-4e9f-a0b1-c2d3e4f5a6b7";

json::array groups_of(std::initializer_list<std::string_view> groups) {
  json::array out;
  for (auto g : groups) out.emplace_back(g);
  return out;
}

class CognitoSignInTest : public mercato::testing::BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    publish({shared_rsa_key(0).jwk("k0")});
    app_ = std::make_unique<AppHarness>(database(), config(), &jwks_);
  }

  static app::Config config() {
    auto c = accounts_config();
    c.cognito_issuer = issuer;
    c.cognito_client_ids = {"client-other", std::string(client_id)};
    c.cognito_jwks_url = jwks_url;
    return c;
  }

  void publish(std::initializer_list<json::object> keys) { jwks_.reply_with(200, mercato::testing::jwks_document(keys)); }

  AppHarness& app() { return *app_; }
  std::int64_t now() const {
    return std::chrono::floor<std::chrono::seconds>(app_->clock().now()).time_since_epoch().count();
  }

  json::object access_claims(std::string_view subject = sub, json::array groups = {}) const {
    return {{"sub", subject},         {"cognito:groups", groups}, {"iss", issuer},       {"client_id", client_id},
            {"origin_jti", "ojti-1"}, {"token_use", "access"},     {"scope", "openid"}, {"auth_time", now()},
            {"iat", now()},           {"exp", now() + 3600},       {"jti", "jti-1"},    {"username", subject}};
  }

  json::object id_claims(std::string_view email, bool verified, std::string_view subject = sub) const {
    return {{"sub", subject},       {"email_verified", verified}, {"iss", issuer},        {"aud", client_id},
            {"token_use", "id"},    {"auth_time", now()},         {"iat", now()},         {"exp", now() + 3600},
            {"jti", "jti-2"},       {"origin_jti", "ojti-1"},     {"email", email},       {"cognito:username", subject}};
  }

  static json::object header(std::string_view kid = "k0") { return {{"kid", kid}, {"alg", "RS256"}}; }

  static std::string sign(const json::object& claims, std::string_view kid = "k0", int key = 0) {
    return mercato::testing::sign_rs256(header(kid), claims, shared_rsa_key(key));
  }

  std::int64_t count(const std::string& table) {
    auto lease = database().acquire();
    return lease->execute("SELECT COUNT(*) FROM " + table).rows.at(0).int64(0);
  }

  void expect_refused(const std::string& token, const std::string& why) {
    auto r = me(app(), token);
    EXPECT_EQ(r.status, 401) << why << ": " << r.body;
    EXPECT_EQ(code_of(r), "invalid_token") << why;
  }

  FakeHttpClient jwks_;
  std::unique_ptr<AppHarness> app_;
};

}  // namespace

TEST_P(CognitoSignInTest, AValidAccessTokenSignsInAsANewCustomerWithAPlaceholderAddress) {
  EXPECT_EQ(jwks_.calls(), 0) << "keys are fetched on the first Cognito token, not at start";
  auto r = me(app(), sign(access_claims()));
  ASSERT_EQ(r.status, 200) << r.body;
  auto body = body_of(r);
  EXPECT_EQ(str(body.at("email")), std::string(sub) + "@cognito.invalid");
  EXPECT_EQ(str(body.at("role")), "customer");
  EXPECT_EQ(body.at("email_verified"), false);
  EXPECT_EQ(jwks_.calls(), 1);
  EXPECT_EQ(jwks_.last_url(), jwks_url);
  EXPECT_EQ(count("users"), 1);
  EXPECT_EQ(count("external_identities"), 1);

  auto again = me(app(), sign(access_claims()));
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(str(body_of(again).at("id")), str(body.at("id"))) << "the same local user on later requests";
  EXPECT_EQ(jwks_.calls(), 1) << "keys are cached";
  EXPECT_EQ(count("users"), 1);
}

TEST_P(CognitoSignInTest, AValidIdTokenSignsInWithItsVerifiedAddress) {
  auto r = me(app(), sign(id_claims("Bea@Example.com", true)));
  ASSERT_EQ(r.status, 200) << r.body;
  auto body = body_of(r);
  EXPECT_EQ(str(body.at("email")), "bea@example.com");
  EXPECT_EQ(body.at("email_verified"), true);
  EXPECT_EQ(str(body.at("role")), "customer");
}

TEST_P(CognitoSignInTest, AnUnverifiedAddressInAnIdTokenIsNotStored) {
  auto r = me(app(), sign(id_claims("bea@example.com", false)));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(str(body_of(r).at("email")), std::string(sub) + "@cognito.invalid");
  EXPECT_EQ(body_of(r).at("email_verified"), false);
}

TEST_P(CognitoSignInTest, TheVerifiedAddressOfAnIdTokenReplacesThePlaceholder) {
  ASSERT_EQ(me(app(), sign(access_claims())).status, 200);
  auto r = me(app(), sign(id_claims("bea@example.com", true)));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(str(body_of(r).at("email")), "bea@example.com");
  EXPECT_EQ(body_of(r).at("email_verified"), true);
  auto later = me(app(), sign(access_claims()));
  ASSERT_EQ(later.status, 200) << later.body;
  EXPECT_EQ(str(body_of(later).at("email")), "bea@example.com");
  EXPECT_EQ(body_of(later).at("email_verified"), true);
  EXPECT_EQ(count("users"), 1);
}

TEST_P(CognitoSignInTest, AnAddressOfAnotherLocalUserIsNotTakenOver) {
  auto ada = register_user(app(), "ada@example.com", "password1");
  auto r = me(app(), sign(id_claims("ada@example.com", true)));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(str(body_of(r).at("id")), ada);
  EXPECT_EQ(str(body_of(r).at("email")), std::string(sub) + "@cognito.invalid");
  EXPECT_EQ(body_of(r).at("email_verified"), false);
  EXPECT_NE(app().log_text().find("cognito_email_conflict"), std::string::npos);
  EXPECT_EQ(login_response(app(), "ada@example.com", "password1").status, 200) << "the password user is untouched";
}

TEST_P(CognitoSignInTest, ACognitoUserCannotSignInWithAPassword) {
  ASSERT_EQ(me(app(), sign(id_claims("bea@example.com", true))).status, 200);
  auto r = login_response(app(), "bea@example.com", "!external");
  EXPECT_EQ(r.status, 401) << r.body;
  EXPECT_EQ(code_of(r), "invalid_credentials");
  auto forgot = post(app(), "/api/auth/forgot-password", {{"email", "bea@example.com"}});
  EXPECT_EQ(forgot.status, 202) << forgot.body;
  EXPECT_TRUE(app().emails().empty()) << "no local password to reset";
}

TEST_P(CognitoSignInTest, GroupsGiveTheRole) {
  auto admin = sign(access_claims("sub-admin", groups_of({"vendor", "admin"})));
  auto vendor = sign(access_claims("sub-vendor", groups_of({"vendor"})));
  auto customer = sign(access_claims("sub-customer", groups_of({"staff"})));
  EXPECT_EQ(app().call(http::Method::get, "/api/users", {}, bearer(admin)).status, 200);
  EXPECT_EQ(app().call(http::Method::get, "/api/users", {}, bearer(vendor)).status, 403);
  EXPECT_EQ(app().call(http::Method::get, "/api/users", {}, bearer(customer)).status, 403);
  // A vendor reaches the product handler (which wants a body); a customer does not.
  EXPECT_EQ(app().call(http::Method::post, "/api/products", "{}", bearer(vendor)).status, 400);
  EXPECT_EQ(app().call(http::Method::post, "/api/products", "{}", bearer(customer)).status, 403);
}

TEST_P(CognitoSignInTest, AChangeOfGroupsChangesTheLocalRoleAndIsAudited) {
  ASSERT_EQ(str(body_of(me(app(), sign(access_claims()))).at("role")), "customer");
  auto r = me(app(), sign(access_claims(sub, groups_of({"admin"}))));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(str(body_of(r).at("role")), "admin");
  auto lease = database().acquire();
  auto rows = lease->execute("SELECT COUNT(*) FROM audit_log WHERE event = 'role_changed'").rows;
  EXPECT_EQ(rows.at(0).int64(0), 1);
}

TEST_P(CognitoSignInTest, ALocallyDisabledUserIsRefused) {
  auto id = str(body_of(me(app(), sign(access_claims()))).at("id"));
  {
    auto lease = database().acquire();
    lease->execute("UPDATE users SET disabled = $1 WHERE id = $2", {true, id});
  }
  auto r = me(app(), sign(access_claims()));
  EXPECT_EQ(r.status, 401) << r.body;
  EXPECT_EQ(code_of(r), "account_disabled");
}

TEST_P(CognitoSignInTest, MercatosOwnTokensStillWork) {
  register_user(app(), "ada@example.com", "password1");
  auto session = login(app(), "ada@example.com", "password1");
  auto r = me(app(), session.access_token);
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(jwks_.calls(), 0) << "an HS256 token never reaches the Cognito verifier";
}

TEST_P(CognitoSignInTest, TokensThatDoNotVerifyAreRefused) {
  auto claims = [&](auto change) {
    auto c = access_claims();
    change(c);
    return c;
  };
  expect_refused(sign(claims([](json::object& c) { c["iss"] = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Other"; })),
                 "wrong issuer");
  expect_refused(sign(claims([](json::object& c) { c["client_id"] = "client-evil"; })), "wrong client id");
  expect_refused(sign(claims([](json::object& c) { c["token_use"] = "refresh"; })), "wrong token_use");
  expect_refused(sign(claims([&](json::object& c) { c["exp"] = now() - 31; })), "expired");
  expect_refused(sign(claims([&](json::object& c) { c["iat"] = now() + 60; })), "issued in the future");
  expect_refused(sign(claims([&](json::object& c) { c["nbf"] = now() + 60; })), "not yet valid");
  expect_refused(sign(claims([](json::object& c) { c.erase("sub"); })), "no subject");
  auto id = id_claims("bea@example.com", true);
  id["aud"] = "client-evil";
  expect_refused(sign(id), "ID token for another client");
  auto access_as_id = access_claims();
  access_as_id["token_use"] = "id";  // no aud
  expect_refused(sign(access_as_id), "ID token without an audience");
  EXPECT_EQ(count("users"), 0) << "no user for a refused token";
}

TEST_P(CognitoSignInTest, ForgedTokensAreRefused) {
  auto good = sign(access_claims());
  // Tampered payload: a customer claims admin, keeping the original signature.
  auto tampered_claims = access_claims(sub, groups_of({"admin"}));
  auto dot = good.rfind('.');
  expect_refused(mercato::testing::signing_input(header(), tampered_claims) + good.substr(dot), "tampered payload");
  expect_refused(sign(access_claims(), "k0", 1), "signed by another key");
  // Algorithm confusion: the pool's public key used as an HMAC secret.
  expect_refused(mercato::testing::sign_hs256({{"kid", "k0"}, {"alg", "HS256"}}, access_claims(),
                                              shared_rsa_key(0).public_pem()),
                 "HS256 with the public key as secret");
  auto unsigned_token = mercato::testing::signing_input({{"kid", "k0"}, {"alg", "none"}}, access_claims());
  expect_refused(unsigned_token + ".", "alg none, no signature");
  expect_refused(unsigned_token + "." + good.substr(dot + 1), "alg none with a signature");
  expect_refused(mercato::testing::sign_rs256({{"alg", "RS256"}}, access_claims(), shared_rsa_key(0)), "no kid");
  expect_refused(mercato::testing::sign_rs256({{"alg", "RS384"}, {"kid", "k0"}}, access_claims(), shared_rsa_key(0)),
                 "another algorithm");
  EXPECT_EQ(count("users"), 0);
}

TEST_P(CognitoSignInTest, AKeyUnder2048BitsIsRefused) {
  static const TestRsaKey small = TestRsaKey::generate(1024);
  publish({shared_rsa_key(0).jwk("k0"), small.jwk("small")});
  auto token = mercato::testing::sign_rs256(header("small"), access_claims(), small);
  expect_refused(token, "1024-bit key");
  EXPECT_EQ(me(app(), sign(access_claims())).status, 200) << "the good key beside it still serves";
}

TEST_P(CognitoSignInTest, AnUnknownKidAfterRotationRefetchesTheKeys) {
  ASSERT_EQ(me(app(), sign(access_claims())).status, 200);
  publish({shared_rsa_key(1).jwk("k1")});
  app().clock().advance(std::chrono::seconds{61});
  auto r = me(app(), sign(access_claims(), "k1", 1));
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(jwks_.calls(), 2);
}

TEST_P(CognitoSignInTest, UnknownKidsFetchTheKeysAtMostOnceAMinute) {
  ASSERT_EQ(me(app(), sign(access_claims())).status, 200);
  ASSERT_EQ(jwks_.calls(), 1);
  app().clock().advance(std::chrono::seconds{61});
  expect_refused(sign(access_claims(), "random-1", 1), "unknown kid");
  EXPECT_EQ(jwks_.calls(), 2) << "an unknown kid refetches";
  expect_refused(sign(access_claims(), "random-2", 1), "unknown kid again");
  EXPECT_EQ(jwks_.calls(), 2) << "no second fetch within 60 s";
  app().clock().advance(std::chrono::seconds{61});
  expect_refused(sign(access_claims(), "random-3", 1), "unknown kid a minute later");
  EXPECT_EQ(jwks_.calls(), 3);
}

TEST_P(CognitoSignInTest, AnUnreachableKeySetIs503NotA401) {
  jwks_.fail_transport();
  auto token = sign(access_claims());
  auto r = me(app(), token);
  EXPECT_EQ(r.status, 503) << r.body;
  EXPECT_EQ(code_of(r), "identity_provider_unavailable");
  auto retry = r.headers.get("Retry-After");
  ASSERT_TRUE(retry.has_value());
  EXPECT_GE(std::stoi(std::string(*retry)), 1);
  EXPECT_NE(app().log_text().find("jwks_fetch_failed"), std::string::npos);
  EXPECT_EQ(app().log_text().find(token.substr(token.rfind('.') + 1)), std::string::npos) << "token in the log";

  jwks_.reply_with(500, "oops");
  app().clock().advance(std::chrono::seconds{6});
  EXPECT_EQ(me(app(), token).status, 503) << "an error status is no key set either";

  publish({shared_rsa_key(0).jwk("k0")});
  app().clock().advance(std::chrono::seconds{6});
  EXPECT_EQ(me(app(), token).status, 200) << "recovers once the keys can be had";
  EXPECT_EQ(jwks_.calls(), 3);
}

// Half the racers hold an access token (placeholder address), half an ID token (real
// address), so both the users' email index and the identity's key are contended.
TEST_P(CognitoSignInTest, EightRacingFirstRequestsCreateExactlyOneUser) {
  ASSERT_EQ(me(app(), sign(access_claims("warm-up"))).status, 200);  // keys fetched; the race is about users
  constexpr int rounds = 5;
  constexpr int n = 8;
  for (int round = 0; round < rounds; ++round) {
    auto subject = "racer-" + std::to_string(round);
    auto access = sign(access_claims(subject));
    auto id = sign(id_claims("racer" + std::to_string(round) + "@example.com", true, subject));
    std::vector<http::Response> responses(n);
    std::atomic<int> ready{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < n; ++i)
      threads.emplace_back([&, i] {
        ready.fetch_add(1);
        while (ready.load() < n) std::this_thread::yield();
        responses[static_cast<std::size_t>(i)] =
            call_from(app(), "127.0.0.1", http::Method::get, "/api/auth/me", {}, bearer(i % 2 == 0 ? access : id));
      });
    for (auto& t : threads) t.join();
    std::set<std::string> ids;
    for (const auto& r : responses) {
      ASSERT_EQ(r.status, 200) << r.body;
      ids.insert(str(body_of(r).at("id")));
    }
    EXPECT_EQ(ids.size(), 1u) << "round " << round;
    auto lease = database().acquire();
    EXPECT_EQ(lease->execute("SELECT COUNT(*) FROM external_identities WHERE subject = $1", {subject}).rows.at(0).int64(0),
              1);
  }
  EXPECT_EQ(count("users"), 1 + rounds) << "one per subject, none left unlinked";
  EXPECT_EQ(count("external_identities"), 1 + rounds);
}

TEST_P(CognitoSignInTest, ACognitoSignInOpensTheEventStreamWithATicket) {
  auto token = sign(access_claims());
  auto issue = [&] {
    auto r = app().call(http::Method::post, "/api/orders/events/ticket", {}, bearer(token));
    EXPECT_EQ(r.status, 201) << r.body;
    return str(body_of(r).at("ticket"));
  };
  auto ticket = issue();
  {
    auto lease = database().acquire();
    EXPECT_EQ(lease->execute("SELECT session_id FROM stream_tickets").rows.at(0).text(0), "cognito:ojti-1");
  }
  auto opened = app().get("/api/orders/events?ticket=" + ticket);
  EXPECT_EQ(opened.status, 200) << opened.body;
  EXPECT_NE(opened.stream, nullptr);
  auto reused = app().get("/api/orders/events?ticket=" + ticket);
  EXPECT_EQ(reused.status, 401) << "single use";

  auto second = issue();
  {
    auto lease = database().acquire();
    lease->execute("UPDATE users SET disabled = $1", {true});
  }
  auto refused = app().get("/api/orders/events?ticket=" + second);
  EXPECT_EQ(refused.status, 401) << "a ticket of a user disabled since is refused";
  EXPECT_EQ(code_of(refused), "invalid_ticket");
}

TEST_P(CognitoSignInTest, LogoutWithACognitoTokenEndsNoMercatoSignIn) {
  register_user(app(), "ada@example.com", "password1");
  auto ada = login(app(), "ada@example.com", "password1");
  auto token = sign(access_claims());
  auto logout = app().call(http::Method::post, "/api/auth/logout", "{}", bearer(token));
  EXPECT_EQ(logout.status, 204) << logout.body;
  EXPECT_EQ(me(app(), token).status, 200) << "Cognito tokens end at Cognito";
  EXPECT_EQ(refresh(app(), ada.refresh_token).status, 200) << "another user's sign-in is untouched";
}

TEST_P(CognitoSignInTest, WithoutCognitoConfiguredAnRs256TokenIsRefusedWithoutAFetch) {
  AppHarness plain(database(), accounts_config(), &jwks_);
  auto r = me(plain, sign(access_claims()));
  EXPECT_EQ(r.status, 401) << r.body;
  EXPECT_EQ(code_of(r), "invalid_token");
  EXPECT_EQ(jwks_.calls(), 0);
}

MERCATO_ACCOUNTS_BACKENDS(CognitoSignInTest);
