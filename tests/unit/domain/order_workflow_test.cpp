// transition_allowed over every (from, to, actor): 5 x 5 x 3 combinations against a table
// written here from the orders contract (PUT /status by the admin, DELETE by the owner or
// an admin, pending -> paid also by the payments service).

#include <gtest/gtest.h>

#include <array>
#include <set>
#include <string>
#include <tuple>

#include "domain/orders/order_workflow.hpp"

namespace {

using mercato::domain::order_transitions;
using mercato::domain::OrderActor;
using mercato::domain::OrderStatus;
using mercato::domain::transition_allowed;
using S = OrderStatus;
using A = OrderActor;

constexpr std::array<S, 5> all_statuses{S::pending, S::paid, S::shipped, S::delivered, S::cancelled};
constexpr std::array<A, 3> all_actors{A::owner, A::admin, A::payments};

std::string name(A actor) {
  switch (actor) {
    case A::owner: return "owner";
    case A::admin: return "admin";
    case A::payments: return "payments";
  }
  return "?";
}

// Every allowed (from, to, who); all other 75 - 10 combinations are refused.
const std::set<std::tuple<S, S, A>>& expected_allowed() {
  static const std::set<std::tuple<S, S, A>> allowed{
      {S::pending, S::paid, A::admin},          {S::pending, S::paid, A::payments},
      {S::paid, S::shipped, A::admin},          {S::shipped, S::delivered, A::admin},
      {S::pending, S::cancelled, A::admin},     {S::pending, S::cancelled, A::owner},
      {S::paid, S::cancelled, A::admin},        {S::paid, S::cancelled, A::owner},
  };
  return allowed;
}

TEST(OrderWorkflowTable, EveryCombinationMatchesTheContract) {
  int checked = 0, allowed = 0;
  for (auto from : all_statuses)
    for (auto to : all_statuses)
      for (auto actor : all_actors) {
        bool expected = expected_allowed().contains({from, to, actor});
        EXPECT_EQ(transition_allowed(from, to, actor), expected)
            << mercato::domain::to_string(from) << " -> " << mercato::domain::to_string(to) << " by " << name(actor);
        ++checked;
        allowed += expected ? 1 : 0;
      }
  EXPECT_EQ(checked, 75);
  EXPECT_EQ(allowed, 8);
}

TEST(OrderWorkflowTable, NothingLeavesDeliveredOrCancelledAndNothingStaysPut) {
  for (auto to : all_statuses)
    for (auto actor : all_actors) {
      EXPECT_FALSE(transition_allowed(S::delivered, to, actor));
      EXPECT_FALSE(transition_allowed(S::cancelled, to, actor));
    }
  for (auto status : all_statuses)
    for (auto actor : all_actors) EXPECT_FALSE(transition_allowed(status, status, actor));
}

TEST(OrderWorkflowTable, ListedTransitionsAreTheAllowedOnes) {
  std::set<std::tuple<S, S, A>> listed;
  for (const auto& t : order_transitions())
    for (auto who : t.who) EXPECT_TRUE(listed.insert({t.from, t.to, who}).second) << "listed twice";
  EXPECT_EQ(listed, expected_allowed());
}

}  // namespace
