#pragma once

#include <atomic>

#include "core/clock.hpp"

namespace crossvoice::testing {

// A clock that only moves when the test says so.
class FakeClock final : public core::Clock {
  public:
    explicit FakeClock(std::int64_t unix_ms = 1'790'000'000'000) : ms_(unix_ms) {}
    core::TimePoint now() const override { return core::from_unix_ms(ms_.load()); }
    void advance_ms(std::int64_t ms) { ms_ += ms; }
    void set_ms(std::int64_t ms) { ms_ = ms; }

  private:
    std::atomic<std::int64_t> ms_;
};

}  // namespace crossvoice::testing
