#include "infra/memory_rate_limiter.hpp"

#include <gtest/gtest.h>

// The port's behaviour (sliding window, exact waits, concurrency) is tested for every adapter in
// tests/contract/rate_limiter_contract_test.cpp; these cases cover what only the memory adapter has: forgetting.

#include <string>

#include "support/fake_clock.hpp"

namespace crossvoice::infra {
namespace {

using core::ports::RateDecision;
using Ms = std::chrono::milliseconds;

class MemoryRateLimiterTest : public ::testing::Test {
  protected:
    RateDecision take(const std::string& key, long limit = 3, Ms window = Ms{1'000}) {
        auto decision = limiter_.acquire(key, limit, window);
        if (!decision) {
            ADD_FAILURE() << decision.error().message;
            return {};
        }
        return *decision;
    }

    testing::FakeClock clock_;
    MemoryRateLimiter limiter_{clock_};
};

TEST_F(MemoryRateLimiterTest, KeysWhoseWindowEmptiedAreForgotten) {
    for (int i = 0; i < 500; ++i) EXPECT_TRUE(take("key-" + std::to_string(i)).allowed);
    EXPECT_EQ(limiter_.tracked_keys(), 500U);
    clock_.advance_ms(999);
    limiter_.sweep();
    EXPECT_EQ(limiter_.tracked_keys(), 500U) << "still inside their window";
    clock_.advance_ms(1);
    limiter_.sweep();
    EXPECT_EQ(limiter_.tracked_keys(), 0U);
}

TEST_F(MemoryRateLimiterTest, MemoryStaysBoundedWithoutExplicitSweeps) {
    // Every key is used once and expires 10 ms later; kept forever there would be 20000 of them.
    for (int i = 0; i < 20'000; ++i) {
        EXPECT_TRUE(take("caller-" + std::to_string(i), 1, Ms{10}).allowed);
        clock_.advance_ms(10);
    }
    EXPECT_LE(limiter_.tracked_keys(), 2 * 64 * MemoryRateLimiter::kShards);
}

}  // namespace
}  // namespace crossvoice::infra
