#pragma once
// A clock the test moves by hand.

#include <chrono>

#include "core/clock.hpp"

namespace mercato::testing {

class FixedClock final : public Clock {
 public:
  explicit FixedClock(std::chrono::system_clock::time_point now = std::chrono::sys_days{std::chrono::year{2026} /
                                                                                         11 / 25})
      : now_(now) {}
  std::chrono::system_clock::time_point now() const override { return now_; }
  void advance(std::chrono::system_clock::duration by) { now_ += by; }

 private:
  std::chrono::system_clock::time_point now_;
};

}  // namespace mercato::testing
