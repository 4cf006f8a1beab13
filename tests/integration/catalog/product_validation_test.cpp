// Product bodies: every bad field is named (all at once), lengths count characters, prices
// and stock are integers in range, currencies are ISO 4217 stored lower-case.

#include <gtest/gtest.h>

#include <memory>
#include <set>

#include "integration/catalog/catalog_test_support.hpp"

using namespace mercato;
using namespace mercato::testing::catalog;
using mercato::testing::AppHarness;
using mercato::testing::accounts::accounts_config;

namespace {

class CatalogProductValidationTest : public mercato::testing::BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    app_ = std::make_unique<AppHarness>(database(), accounts_config());
    auto admin = admin_session(*app_);
    admin_token_ = admin.access_token;
    vendor_ = vendor_session(*app_);
    category_ = create_category(*app_, admin_token_, "Lamps");
  }
  void TearDown() override {
    app_.reset();
    BackendTest::TearDown();
  }

  boost::json::object valid() const { return product_body("Desk lamp", 1999, 5, category_); }

  std::int64_t product_rows() { return count_of(database(), "SELECT COUNT(*) FROM products"); }

  std::unique_ptr<AppHarness> app_;
  std::string admin_token_;
  Session vendor_;
  std::string category_;
};

struct Case {
  std::string label;
  boost::json::object change;  // applied over a valid body
  std::vector<std::string> fields;
};

std::string repeat(std::string_view unit, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += unit;
  return out;
}

}  // namespace

TEST_P(CatalogProductValidationTest, EachBadFieldIsNamed) {
  auto& app = *app_;
  std::vector<Case> cases{
      {"empty name", {{"name", ""}}, {"name"}},
      {"blank name", {{"name", "   "}}, {"name"}},
      {"201-character name", {{"name", std::string(201, 'n')}}, {"name"}},
      {"201 two-byte characters", {{"name", repeat("\xC3\xA9", 201)}}, {"name"}},
      {"control character in name", {{"name", "Desk\x1b lamp"}}, {"name"}},
      {"name not a string", {{"name", 7}}, {"name"}},
      {"5001-character description", {{"description", std::string(5001, 'd')}}, {"description"}},
      {"negative price", {{"price", -1}}, {"price"}},
      {"price as a string", {{"price", "12"}}, {"price"}},
      {"fractional price", {{"price", 1.5}}, {"price"}},
      {"price over the maximum", {{"price", 1'000'000'000'001}}, {"price"}},
      {"null price", {{"price", nullptr}}, {"price"}},
      {"negative stock", {{"stock_quantity", -1}}, {"stock_quantity"}},
      {"stock over the maximum", {{"stock_quantity", 1'000'000'001}}, {"stock_quantity"}},
      {"stock as a string", {{"stock_quantity", "3"}}, {"stock_quantity"}},
      {"unknown category", {{"category_id", UuidSource(11).next()}}, {"category_id"}},
      {"category not a UUID", {{"category_id", "lamps"}}, {"category_id"}},
      {"unknown currency", {{"currency", "xyz"}}, {"currency"}},
      {"currency too long", {{"currency", "euro"}}, {"currency"}},
      {"empty currency", {{"currency", ""}}, {"currency"}},
      {"unknown field", {{"colour", "red"}}, {"colour"}},
  };
  for (const auto& c : cases) {
    auto body = valid();
    for (const auto& [key, value] : c.change) body[key] = value;
    auto r = post_product(app, vendor_.access_token, body);
    EXPECT_EQ(r.status, 400) << c.label << ": " << r.body;
    EXPECT_EQ(code_of(r), "validation_failed") << c.label;
    EXPECT_EQ(error_fields(r), c.fields) << c.label << ": " << r.body;
  }
  for (auto missing : {"name", "price", "stock_quantity", "category_id"}) {
    auto body = valid();
    body.erase(missing);
    auto r = post_product(app, vendor_.access_token, body);
    EXPECT_EQ(r.status, 400) << "without " << missing << ": " << r.body;
    EXPECT_EQ(error_fields(r), std::vector<std::string>{missing}) << r.body;
  }
  EXPECT_EQ(product_rows(), 0) << "nothing was created";
}

TEST_P(CatalogProductValidationTest, SeveralBadFieldsAreReportedTogether) {
  auto& app = *app_;
  auto fields_of = [&](const boost::json::object& body) {
    auto r = post_product(app, vendor_.access_token, body);
    EXPECT_EQ(r.status, 400) << r.body;
    auto fields = error_fields(r);
    return std::set<std::string>(fields.begin(), fields.end());
  };
  // Wrong types and ranges, and an unknown field.
  auto body = valid();
  body["price"] = -1;
  body["stock_quantity"] = "many";
  body["colour"] = "red";
  EXPECT_EQ(fields_of(body), (std::set<std::string>{"price", "stock_quantity", "colour"}));
  // Lengths, currency, required fields and a vendor_id from a vendor.
  body = valid();
  body["name"] = "";
  body["currency"] = "xyz";
  body["vendor_id"] = vendor_.user_id;
  body.erase("category_id");
  EXPECT_EQ(fields_of(body), (std::set<std::string>{"name", "currency", "vendor_id", "category_id"}));
  EXPECT_EQ(product_rows(), 0);
}

// BUG (src/api/product_routes.cpp product_fields + src/domain/catalog/product_service.cpp
// validate): the body's types, ranges and unknown fields are checked first and throw on their
// own (http::BodyFields::finish), so the domain's checks (name, currency, required fields,
// vendor_id) never run and their fields are left out of the answer. The contract says
// "Several bad fields are all reported at once."
TEST_P(CatalogProductValidationTest, TypeErrorsAndRuleErrorsAreReportedTogether) {
  auto& app = *app_;
  auto body = valid();
  body["name"] = "";
  body["price"] = -1;
  body["currency"] = "xyz";
  body["stock_quantity"] = "many";
  body["colour"] = "red";
  body.erase("category_id");
  auto r = post_product(app, vendor_.access_token, body);
  ASSERT_EQ(r.status, 400) << r.body;
  auto fields = error_fields(r);
  EXPECT_EQ(std::set<std::string>(fields.begin(), fields.end()),
            (std::set<std::string>{"name", "price", "currency", "stock_quantity", "colour", "category_id"}))
      << r.body;
  EXPECT_EQ(product_rows(), 0);
}

// BUG (src/domain/catalog/catalog_rules.cpp is_control): only ASCII control characters
// (below 0x20 and 0x7f) are refused; the C1 controls U+0080..U+009F (e.g. U+0085 NEL,
// U+009B CSI) are control characters too, and a name holding one is accepted (201).
TEST_P(CatalogProductValidationTest, NamesRefuseC1ControlCharacters) {
  auto& app = *app_;
  for (std::string control : {"\xC2\x85", "\xC2\x9B"}) {
    auto body = valid();
    body["name"] = "Desk" + control + "lamp";
    auto r = post_product(app, vendor_.access_token, body);
    EXPECT_EQ(r.status, 400) << r.body;
    EXPECT_EQ(error_fields(r), std::vector<std::string>{"name"}) << r.body;
  }
}

TEST_P(CatalogProductValidationTest, LimitsAndDefaultsAreAccepted) {
  auto& app = *app_;
  // 200 characters of two bytes each: the limit counts characters, not bytes.
  auto body = valid();
  body["name"] = repeat("\xC3\xA9", 200);
  body["description"] = std::string(5000, 'd');
  body["price"] = 1'000'000'000'000;
  body["stock_quantity"] = 1'000'000'000;
  auto longest = post_product(app, vendor_.access_token, body);
  ASSERT_EQ(longest.status, 201) << longest.body;
  EXPECT_EQ(str(body_of(longest).at("name")), repeat("\xC3\xA9", 200));
  EXPECT_EQ(body_of(longest).at("price"), 1'000'000'000'000);
  EXPECT_EQ(body_of(longest).at("currency"), "usd") << "default currency";

  auto zero = valid();
  zero["price"] = 0;
  zero["stock_quantity"] = 0;
  zero["currency"] = "EUR";
  auto free = post_product(app, vendor_.access_token, zero);
  ASSERT_EQ(free.status, 201) << free.body;
  auto product = body_of(free);
  EXPECT_EQ(product.at("currency"), "eur") << "stored lower-case";
  EXPECT_EQ(product.at("price"), 0);
  EXPECT_EQ(product.at("description"), "") << "description defaults to empty";
  EXPECT_EQ(body_of(get_product(app, str(product.at("id")))).at("currency"), "eur");
  auto lease = database().acquire();
  auto stored = lease->execute("SELECT currency FROM products WHERE id = $1", {str(product.at("id"))});
  ASSERT_EQ(stored.rows.size(), 1u);
  EXPECT_EQ(stored.rows[0].text(0), "eur");
}

TEST_P(CatalogProductValidationTest, ADeletedCategoryTakesNoProducts) {
  auto& app = *app_;
  auto empty = create_category(app, admin_token_, "Discontinued");
  ASSERT_EQ(del(app, "/api/categories/" + empty, bearer(admin_token_)).status, 204);
  auto body = valid();
  body["category_id"] = empty;
  auto r = post_product(app, vendor_.access_token, body);
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(error_fields(r), std::vector<std::string>{"category_id"});

  auto id = create_product_id(app, vendor_.access_token, valid());
  auto moved = put(app, "/api/products/" + id, {{"category_id", empty}}, bearer(vendor_.access_token));
  EXPECT_EQ(moved.status, 400) << moved.body;
  EXPECT_EQ(error_fields(moved), std::vector<std::string>{"category_id"});
  EXPECT_EQ(str(body_of(get_product(app, id)).at("category_id")), category_);
}

TEST_P(CatalogProductValidationTest, UpdatesFollowTheSameRulesAndChangeNothingWhenRefused) {
  auto& app = *app_;
  auto id = create_product_id(app, vendor_.access_token, valid());
  auto before = get_product(app, id).body;
  std::vector<Case> cases{
      {"empty name", {{"name", ""}}, {"name"}},
      {"201-character name", {{"name", std::string(201, 'n')}}, {"name"}},
      {"negative price", {{"price", -1}}, {"price"}},
      {"price as a string", {{"price", "12"}}, {"price"}},
      {"negative stock", {{"stock_quantity", -1}}, {"stock_quantity"}},
      {"unknown currency", {{"currency", "xyz"}}, {"currency"}},
      {"unknown category", {{"category_id", UuidSource(12).next()}}, {"category_id"}},
      {"unknown field", {{"id", UuidSource(13).next()}}, {"id"}},
      {"price with a bad field", {{"price", 5}, {"description", std::string(5001, 'd')}}, {"description"}},
  };
  for (const auto& c : cases) {
    auto r = put(app, "/api/products/" + id, c.change, bearer(vendor_.access_token));
    EXPECT_EQ(r.status, 400) << c.label << ": " << r.body;
    EXPECT_EQ(error_fields(r), c.fields) << c.label << ": " << r.body;
  }
  EXPECT_EQ(get_product(app, id).body, before);
}

MERCATO_CATALOG_BACKENDS(CatalogProductValidationTest);
