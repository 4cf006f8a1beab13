// A category deleted while products are being created in it, or moved into it, at the same
// moment: whoever wins, no live product is ever left in a deleted category.
// Requests go through call_from, which (unlike AppHarness::call) leaves the clock alone, so
// the threads share nothing but the application.

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "integration/catalog/catalog_test_support.hpp"

using namespace mercato;
using namespace mercato::testing::catalog;
using mercato::testing::AppHarness;
using mercato::testing::accounts::accounts_config;
using mercato::testing::accounts::call_from;

namespace {

class CatalogConcurrencyTest : public mercato::testing::BackendTest {};

// Runs `request(i)` on `n` threads released together; the responses in thread order.
template <typename Request>
std::vector<http::Response> at_once(int n, Request request) {
  std::vector<http::Response> responses(static_cast<std::size_t>(n));
  std::atomic<int> ready{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < n; ++i)
    threads.emplace_back([&, i] {
      ready.fetch_add(1);
      while (ready.load() < n) std::this_thread::yield();
      responses[static_cast<std::size_t>(i)] = request(i);
    });
  for (auto& t : threads) t.join();
  return responses;
}

std::int64_t live_products_in_deleted_categories(db::Database& database) {
  return count_of(database,
                  "SELECT COUNT(*) FROM products p JOIN categories c ON c.id = p.category_id "
                  "WHERE c.deleted_at IS NOT NULL AND p.deleted_at IS NULL");
}

}  // namespace

TEST_P(CatalogConcurrencyTest, DeletingACategoryWhileProductsArriveNeverStrandsALiveProduct) {
  AppHarness app(database(), accounts_config());
  auto admin = admin_session(app);
  auto vendor = vendor_session(app);
  auto home = create_category(app, admin.access_token, "Home");
  constexpr int rounds = 10;
  constexpr int creators = 4;
  constexpr int movers = 1;
  constexpr int threads = 1 + creators + movers;  // thread 0 deletes
  int deleted_rounds = 0;

  for (int round = 0; round < rounds; ++round) {
    auto target = create_category(app, admin.access_token, "Contested " + std::to_string(round));
    ASSERT_FALSE(target.empty());
    std::vector<std::string> movable;
    for (int m = 0; m < movers; ++m)
      movable.push_back(create_product_id(app, vendor.access_token,
                                          product_body("Mover " + std::to_string(round), 100, 1, home)));

    auto responses = at_once(threads, [&](int i) {
      if (i == 0)
        return call_from(app, "127.0.0.1", http::Method::delete_, "/api/categories/" + target, {},
                         bearer(admin.access_token));
      if (i <= creators)
        return call_from(app, "127.0.0.1", http::Method::post, "/api/products",
                         json(product_body("Racer " + std::to_string(i), 500, 2, target)),
                         bearer(vendor.access_token));
      return call_from(app, "127.0.0.1", http::Method::put,
                       "/api/products/" + movable[static_cast<std::size_t>(i - 1 - creators)],
                       json({{"category_id", target}}), bearer(vendor.access_token));
    });

    const auto& deletion = responses[0];
    int placed = 0;
    for (int i = 1; i < threads; ++i) {
      const auto& r = responses[static_cast<std::size_t>(i)];
      int success = i <= creators ? 201 : 200;
      if (r.status == success) {
        ++placed;
        EXPECT_EQ(str(body_of(r).at("category_id")), target);
      } else {
        EXPECT_EQ(r.status, 400) << "round " << round << " thread " << i << ": " << r.body;
        EXPECT_EQ(error_fields(r), std::vector<std::string>{"category_id"}) << r.body;
      }
    }
    if (deletion.status == 204) {
      ++deleted_rounds;
      EXPECT_EQ(placed, 0) << "round " << round << ": the category was deleted, yet products were placed in it";
      EXPECT_EQ(app.get("/api/categories/" + target).status, 404);
    } else {
      EXPECT_EQ(deletion.status, 409) << "round " << round << ": " << deletion.body;
      EXPECT_EQ(code_of(deletion), "category_not_empty");
      EXPECT_GT(placed, 0) << "round " << round << ": deletion refused, yet no product was placed";
      EXPECT_EQ(app.get("/api/categories/" + target).status, 200);
    }
    ASSERT_EQ(live_products_in_deleted_categories(database()), 0) << "round " << round;
    // What the API says matches the rows.
    EXPECT_EQ(count_of(database(), "SELECT COUNT(*) FROM products WHERE category_id = $1 AND deleted_at IS NULL",
                       {target}),
              placed)
        << "round " << round;
  }
  // Not an assertion on timing, only a record of which side the races went to.
  RecordProperty("deleted_rounds", deleted_rounds);
}

MERCATO_CATALOG_BACKENDS(CatalogConcurrencyTest);
