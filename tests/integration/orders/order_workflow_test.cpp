// The status workflow: the admin's PUT /status over every pair of statuses, cancellation by
// the owner (DELETE) with the stock coming back exactly once, the history and the audit log.

#include <gtest/gtest.h>

#include "integration/orders/orders_test_support.hpp"

using namespace mercato;
using namespace mercato::testing::orders;
using mercato::testing::AppHarness;
namespace catalog = mercato::testing::catalog;

namespace {

class OrderWorkflowTest : public mercato::testing::orders::OrdersTest {};

const std::vector<std::string> statuses{"pending", "paid", "shipped", "delivered", "cancelled"};

// The allowed steps, from the contract.
bool allowed(const std::string& from, const std::string& to) {
  static const std::set<std::pair<std::string, std::string>> steps{
      {"pending", "paid"}, {"paid", "shipped"}, {"shipped", "delivered"}, {"pending", "cancelled"}, {"paid", "cancelled"}};
  return steps.contains({from, to});
}

// The allowed steps that take a new order to `status`.
std::vector<std::string> path_to(const std::string& status) {
  if (status == "pending") return {};
  if (status == "paid") return {"paid"};
  if (status == "shipped") return {"paid", "shipped"};
  if (status == "delivered") return {"paid", "shipped", "delivered"};
  return {"cancelled"};
}

// Moves an order along `steps` as the admin; false after a reported failure.
bool drive(AppHarness& app, const World& w, const std::string& id, const std::vector<std::string>& steps) {
  for (const auto& step : steps) {
    auto r = set_status(app, w.admin.access_token, id, step);
    if (r.status != 200) {
      ADD_FAILURE() << "to " << step << ": " << r.status << " " << r.body;
      return false;
    }
  }
  return true;
}

std::string status_of(AppHarness& app, const std::string& token, const std::string& id) {
  auto r = get_order(app, token, id);
  if (r.status != 200) {
    ADD_FAILURE() << "GET order: " << r.status << " " << r.body;
    return {};
  }
  return str(body_of(r).at("status"));
}

struct HistoryRow {
  std::string from;  // "null" for the placement
  std::string to;
  std::string actor_id;
  std::string actor_role;
  bool operator==(const HistoryRow&) const = default;
};

std::ostream& operator<<(std::ostream& os, const HistoryRow& h) {
  return os << "{" << h.from << " -> " << h.to << " by " << h.actor_role << " " << h.actor_id << "}";
}

std::vector<HistoryRow> history_of(db::Database& database, const std::string& order_id) {
  auto lease = database.acquire();
  auto result = lease->execute(
      "SELECT from_status, to_status, actor_id, actor_role FROM order_status_history WHERE order_id = $1 "
      "ORDER BY created_at, id",
      {order_id});
  std::vector<HistoryRow> rows;
  for (const auto& row : result.rows)
    rows.push_back({row.optional_text(0).value_or("null"), row.text(1), row.optional_text(2).value_or("null"),
                    row.text(3)});
  return rows;
}

}  // namespace

TEST_P(OrderWorkflowTest, AdminTakesAnOrderFromPendingToDelivered) {
  AppHarness app(database(), accounts_config());
  auto w = make_world(app);
  auto placed = place_order(app, w.alice.access_token, {{w.lamp, 2}, {w.chair, 1}});
  ASSERT_EQ(placed.status, 201) << placed.body;
  auto id = str(body_of(placed).at("id"));
  auto created_at = str(body_of(placed).at("created_at"));

  for (const std::string step : {"paid", "shipped", "delivered"}) {
    auto r = set_status(app, w.admin.access_token, id, step);
    auto at = clock_text(app);
    ASSERT_EQ(r.status, 200) << step << ": " << r.body;
    auto order = body_of(r);
    EXPECT_EQ(keys_of(order), order_keys());
    EXPECT_EQ(str(order.at("status")), step);
    EXPECT_EQ(str(order.at("updated_at")), at) << step;
    EXPECT_EQ(str(order.at("created_at")), created_at) << step;
    EXPECT_EQ(order.at("total_price"), 2 * lamp_price + chair_price);
    EXPECT_EQ(order.at("items").as_array().size(), 2u);
    if (step == "delivered")
      EXPECT_EQ(order.at("delivered_at").is_string() ? str(order.at("delivered_at")) : "<null>", at);
    else
      EXPECT_TRUE(order.at("delivered_at").is_null()) << step << ": " << r.body;
    EXPECT_EQ(status_of(app, w.alice.access_token, id), step);
  }
  auto fetched = get_order(app, w.alice.access_token, id);
  EXPECT_TRUE(is_timestamp(body_of(fetched).at("delivered_at"))) << fetched.body;
  // Delivered is not cancelled: the stock stays sold.
  EXPECT_EQ(stock_of(app, w.lamp), lamp_stock - 2);
  EXPECT_EQ(stock_of(app, w.chair), chair_stock - 1);
}

TEST_P(OrderWorkflowTest, EveryPairOfStatusesIsAllowedOrRefusedAsTheContractSays) {
  AppHarness app(database(), accounts_config());
  auto w = make_world(app);
  for (const auto& from : statuses) {
    for (const auto& to : statuses) {
      SCOPED_TRACE(from + " -> " + to);
      auto id = placed_order_id(app, w.alice.access_token, {{w.lamp, 1}});
      ASSERT_FALSE(id.empty());
      ASSERT_TRUE(drive(app, w, id, path_to(from)));
      auto history_before = history_of(database(), id).size();
      auto r = set_status(app, w.admin.access_token, id, to);
      if (allowed(from, to)) {
        EXPECT_EQ(r.status, 200) << r.body;
        EXPECT_EQ(str(body_of(r).at("status")), to);
        EXPECT_EQ(status_of(app, w.alice.access_token, id), to);
        EXPECT_EQ(history_of(database(), id).size(), history_before + 1);
      } else {
        EXPECT_EQ(r.status, 409) << r.body;
        EXPECT_EQ(code_of(r), "invalid_transition");
        EXPECT_EQ(status_of(app, w.alice.access_token, id), from) << "a refused step changes nothing";
        EXPECT_EQ(history_of(database(), id).size(), history_before) << "a refused step writes no history";
      }
    }
  }
  // Of the 25 orders, those that ended cancelled gave their lamp back: pending->cancelled,
  // paid->cancelled and the five that started cancelled (one of which was refused the step).
  std::int64_t cancelled = 0;
  for (const auto& from : statuses)
    for (const auto& to : statuses) {
      bool ends_cancelled = allowed(from, to) ? to == "cancelled" : from == "cancelled";
      if (ends_cancelled) ++cancelled;
    }
  EXPECT_EQ(stock_of(app, w.lamp), lamp_stock - 25 + cancelled);
}

TEST_P(OrderWorkflowTest, OnlyAdminsChangeTheStatus) {
  AppHarness app(database(), accounts_config());
  auto w = make_world(app);
  auto id = placed_order_id(app, w.alice.access_token, {{w.lamp, 1}});
  ASSERT_FALSE(id.empty());
  for (const auto& [who, token] : std::vector<std::pair<std::string, std::string>>{
           {"owner", w.alice.access_token}, {"vendor with an item", w.vendor1.access_token},
           {"other customer", w.bob.access_token}, {"other vendor", w.vendor2.access_token}}) {
    auto r = set_status(app, token, id, "paid");
    EXPECT_EQ(r.status, 403) << who << ": " << r.body;
    EXPECT_EQ(code_of(r), "forbidden") << who;
  }
  auto anonymous = catalog::put(app, "/api/orders/" + id + "/status", {{"status", "paid"}});
  EXPECT_EQ(anonymous.status, 401) << anonymous.body;
  EXPECT_EQ(status_of(app, w.alice.access_token, id), "pending");
  EXPECT_EQ(history_of(database(), id).size(), 1u);
}

TEST_P(OrderWorkflowTest, StatusBodyIsValidated) {
  AppHarness app(database(), accounts_config());
  auto w = make_world(app);
  auto id = placed_order_id(app, w.alice.access_token, {{w.lamp, 1}});
  ASSERT_FALSE(id.empty());
  std::vector<std::pair<boost::json::object, std::set<std::string>>> cases{
      {{{"status", "paid"}, {"note", "by hand"}}, {"note"}},
      {{{"status", "paid"}, {"delivered_at", "2026-11-25T00:00:00.000000Z"}}, {"delivered_at"}},
      {{{"status", "lost"}}, {"status"}},
      {{{"status", "PAID"}}, {"status"}},
      {{{"status", 1}}, {"status"}},
      {{}, {"status"}}};
  for (const auto& [body, fields] : cases) {
    auto r = catalog::put(app, "/api/orders/" + id + "/status", body, bearer(w.admin.access_token));
    EXPECT_EQ(r.status, 400) << json(body) << ": " << r.body;
    EXPECT_EQ(code_of(r), "validation_failed") << json(body);
    EXPECT_EQ(field_set(r), fields) << json(body) << ": " << r.body;
  }
  EXPECT_EQ(status_of(app, w.alice.access_token, id), "pending");
  // Unknown or malformed order ids.
  EXPECT_EQ(set_status(app, w.admin.access_token, "0190a1b2-0000-7000-8000-000000000000", "paid").status, 404);
  EXPECT_EQ(set_status(app, w.admin.access_token, "nope", "paid").status, 404);
}

TEST_P(OrderWorkflowTest, OwnerCancelsPendingOrPaidOrdersAndTheStockComesBackOnce) {
  AppHarness app(database(), accounts_config());
  auto w = make_world(app);

  // Pending.
  auto pending = placed_order_id(app, w.alice.access_token, {{w.lamp, 4}, {w.chair, 2}});
  EXPECT_EQ(stock_of(app, w.lamp), lamp_stock - 4);
  auto r = cancel_order(app, w.alice.access_token, pending);
  auto at = clock_text(app);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(keys_of(body_of(r)), order_keys());
  EXPECT_EQ(body_of(r).at("status"), "cancelled");
  EXPECT_EQ(str(body_of(r).at("updated_at")), at);
  EXPECT_TRUE(body_of(r).at("delivered_at").is_null());
  EXPECT_EQ(stock_of(app, w.lamp), lamp_stock);
  EXPECT_EQ(stock_of(app, w.chair), chair_stock);
  // Again: refused, and the stock does not come back twice.
  auto twice = cancel_order(app, w.alice.access_token, pending);
  EXPECT_EQ(twice.status, 409) << twice.body;
  EXPECT_EQ(code_of(twice), "invalid_transition");
  EXPECT_EQ(stock_of(app, w.lamp), lamp_stock);
  EXPECT_EQ(stock_of(app, w.chair), chair_stock);
  auto by_admin = set_status(app, w.admin.access_token, pending, "cancelled");
  EXPECT_EQ(by_admin.status, 409) << by_admin.body;
  EXPECT_EQ(stock_of(app, w.lamp), lamp_stock);

  // Paid (by an admin, without a gateway payment): cancelled too, and the refund owed by
  // hand is logged. Cancelling a paid order with a gateway payment is in payments/.
  auto paid = placed_order_id(app, w.alice.access_token, {{w.mug, 3}});
  ASSERT_TRUE(drive(app, w, paid, {"paid"}));
  EXPECT_EQ(stock_of(app, w.mug), mug_stock - 3);
  r = cancel_order(app, w.alice.access_token, paid);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(body_of(r).at("status"), "cancelled");
  EXPECT_EQ(stock_of(app, w.mug), mug_stock);
  auto log = app.log_text();
  auto refund = log.find("refund_owed");
  ASSERT_NE(refund, std::string::npos) << "no refund_owed line";
  auto line = log.substr(refund, log.find('\n', refund) - refund);
  EXPECT_NE(line.find(paid), std::string::npos) << "the refund_owed line names the order: " << line;
  EXPECT_NE(line.find(std::to_string(3 * mug_price)), std::string::npos) << "and the amount: " << line;
  EXPECT_EQ(log.find("refund_owed", refund + 1), std::string::npos) << "an unpaid order owes no refund";

  // The admin cancelling a paid order owes a refund just the same.
  auto paid_too = placed_order_id(app, w.bob.access_token, {{w.chair, 2}});
  ASSERT_TRUE(drive(app, w, paid_too, {"paid", "cancelled"}));
  EXPECT_EQ(stock_of(app, w.chair), chair_stock);
  log = app.log_text();
  auto second_refund = log.find("refund_owed", refund + 1);
  ASSERT_NE(second_refund, std::string::npos) << "no refund_owed line for the admin's cancellation";
  line = log.substr(second_refund, log.find('\n', second_refund) - second_refund);
  EXPECT_NE(line.find(paid_too), std::string::npos) << line;

  // Shipped and delivered: too late.
  for (const std::string status : {"shipped", "delivered"}) {
    auto id = placed_order_id(app, w.alice.access_token, {{w.chair, 1}});
    ASSERT_TRUE(drive(app, w, id, path_to(status)));
    auto late = cancel_order(app, w.alice.access_token, id);
    EXPECT_EQ(late.status, 409) << status << ": " << late.body;
    EXPECT_EQ(code_of(late), "invalid_transition") << status;
    EXPECT_EQ(status_of(app, w.alice.access_token, id), status);
  }
  EXPECT_EQ(stock_of(app, w.chair), chair_stock - 2);
}

TEST_P(OrderWorkflowTest, WhoMayCancel) {
  AppHarness app(database(), accounts_config());
  auto w = make_world(app);
  auto id = placed_order_id(app, w.alice.access_token, {{w.lamp, 2}, {w.chair, 1}});
  ASSERT_FALSE(id.empty());

  // A vendor that sees the order may not cancel it; to others it does not exist.
  auto vendor = cancel_order(app, w.vendor1.access_token, id);
  EXPECT_EQ(vendor.status, 403) << vendor.body;
  EXPECT_EQ(code_of(vendor), "forbidden");
  auto other = cancel_order(app, w.bob.access_token, id);
  EXPECT_EQ(other.status, 404) << other.body;
  EXPECT_EQ(del(app, "/api/orders/" + id).status, 401);
  EXPECT_EQ(status_of(app, w.alice.access_token, id), "pending");
  EXPECT_EQ(stock_of(app, w.lamp), lamp_stock - 2);

  // The admin may.
  auto admin = cancel_order(app, w.admin.access_token, id);
  ASSERT_EQ(admin.status, 200) << admin.body;
  EXPECT_EQ(body_of(admin).at("status"), "cancelled");
  EXPECT_EQ(stock_of(app, w.lamp), lamp_stock);
  EXPECT_EQ(stock_of(app, w.chair), chair_stock);
  EXPECT_EQ(cancel_order(app, w.admin.access_token, "0190a1b2-0000-7000-8000-000000000000").status, 404);
}

TEST_P(OrderWorkflowTest, CancellingGivesStockBackAlsoToAProductDeletedMeanwhile) {
  AppHarness app(database(), accounts_config());
  auto w = make_world(app);
  auto id = placed_order_id(app, w.alice.access_token, {{w.lamp, 3}, {w.mug, 7}});
  ASSERT_FALSE(id.empty());
  auto gone = del(app, "/api/products/" + w.mug, bearer(w.vendor1.access_token));
  ASSERT_EQ(gone.status / 100, 2) << gone.body;
  ASSERT_EQ(app.get("/api/products/" + w.mug).status, 404);
  EXPECT_EQ(stock_in_table(database(), w.mug), mug_stock - 7);

  auto r = cancel_order(app, w.alice.access_token, id);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(stock_in_table(database(), w.mug), mug_stock);
  EXPECT_EQ(stock_of(app, w.lamp), lamp_stock);
}

TEST_P(OrderWorkflowTest, EveryChangeIsInTheHistoryAndTheAuditLog) {
  AppHarness app(database(), accounts_config());
  auto w = make_world(app);
  auto shipped = placed_order_id(app, w.alice.access_token, {{w.lamp, 1}});
  auto cancelled = placed_order_id(app, w.bob.access_token, {{w.mug, 1}});
  ASSERT_TRUE(drive(app, w, shipped, {"paid", "shipped", "delivered"}));
  ASSERT_EQ(cancel_order(app, w.bob.access_token, cancelled).status, 200);
  // Refused steps leave no trace.
  ASSERT_EQ(set_status(app, w.admin.access_token, shipped, "cancelled").status, 409);
  ASSERT_EQ(cancel_order(app, w.bob.access_token, cancelled).status, 409);

  const auto& admin = w.admin.user_id;
  EXPECT_EQ(history_of(database(), shipped), (std::vector<HistoryRow>{{"null", "pending", w.alice.user_id, "customer"},
                                                                       {"pending", "paid", admin, "admin"},
                                                                       {"paid", "shipped", admin, "admin"},
                                                                       {"shipped", "delivered", admin, "admin"}}));
  EXPECT_EQ(history_of(database(), cancelled), (std::vector<HistoryRow>{{"null", "pending", w.bob.user_id, "customer"},
                                                                         {"pending", "cancelled", w.bob.user_id, "customer"}}));

  // The history's moments are those of the order's own timestamps.
  {
    auto lease = database().acquire();
    auto last = lease->execute(
        "SELECT h.created_at, o.delivered_at, o.updated_at FROM order_status_history h JOIN orders o ON o.id = h.order_id "
        "WHERE h.order_id = $1 AND h.to_status = 'delivered'",
        {shipped});
    ASSERT_EQ(last.rows.size(), 1u);
    EXPECT_EQ(last.rows[0].text(0), last.rows[0].text(1));
    EXPECT_EQ(last.rows[0].text(0), last.rows[0].text(2));
  }

  auto audit = [&](const std::string& order_id) {
    auto lease = database().acquire();
    auto result = lease->execute(
        "SELECT event, actor_id, outcome FROM audit_log WHERE subject_id = $1 ORDER BY occurred_at, id", {order_id});
    std::vector<std::string> rows;
    for (const auto& row : result.rows)
      rows.push_back(row.text(0) + " " + row.optional_text(1).value_or("null") + " " + row.text(2));
    return rows;
  };
  const std::string changed = "order_status_changed " + admin + " success";
  EXPECT_EQ(audit(shipped), (std::vector<std::string>{"order_placed " + w.alice.user_id + " success", changed, changed,
                                                       changed}));
  EXPECT_EQ(audit(cancelled), (std::vector<std::string>{"order_placed " + w.bob.user_id + " success",
                                                         "order_status_changed " + w.bob.user_id + " success"}));
}

MERCATO_ORDERS_BACKENDS(OrderWorkflowTest);
