#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "shared_state_backends.hpp"

namespace crossvoice::contract {
namespace {

using core::ports::RateDecision;
using Ms = std::chrono::milliseconds;

class RateLimiterContract : public SharedStateContractTest {
  protected:
    RateDecision take(const std::string& name, long limit = 3, Ms window = Ms{1'000}) {
        auto decision = backend().rate_limiter().acquire(backend().key(name), limit, window);
        if (!decision) {
            ADD_FAILURE() << decision.error().message;
            return {};
        }
        return *decision;
    }
    void advance(std::int64_t ms) { backend().clock().advance_ms(ms); }
};

TEST_P(RateLimiterContract, AdmitsUpToTheLimitThenRefusesWithTheExactWait) {
    const auto first = take("k");
    EXPECT_TRUE(first.allowed);
    EXPECT_EQ(first.remaining, 2);
    EXPECT_EQ(first.retry_after, Ms{0});
    EXPECT_EQ(take("k").remaining, 1);
    const auto third = take("k");
    EXPECT_TRUE(third.allowed);
    EXPECT_EQ(third.remaining, 0);

    const auto fourth = take("k");
    EXPECT_FALSE(fourth.allowed);
    EXPECT_EQ(fourth.remaining, 0);
    EXPECT_EQ(fourth.retry_after, Ms{1'000});

    advance(400);
    const auto later = take("k");
    EXPECT_FALSE(later.allowed);
    EXPECT_EQ(later.retry_after, Ms{600});
}

TEST_P(RateLimiterContract, TheWindowRollsOneEventAtATime) {
    EXPECT_TRUE(take("k").allowed);  // t = 0
    advance(300);
    EXPECT_TRUE(take("k").allowed);  // t = 300
    advance(300);
    EXPECT_TRUE(take("k").allowed);  // t = 600
    advance(100);
    const auto full = take("k");  // t = 700: the oldest (t = 0) leaves at 1000
    EXPECT_FALSE(full.allowed);
    EXPECT_EQ(full.retry_after, Ms{300});

    advance(299);  // t = 999: still inside the window
    EXPECT_FALSE(take("k").allowed);
    advance(1);  // t = 1000: exactly one slot is free
    const auto freed = take("k");
    EXPECT_TRUE(freed.allowed);
    EXPECT_EQ(freed.remaining, 0);
    const auto again = take("k");  // the next one frees at t = 1300
    EXPECT_FALSE(again.allowed);
    EXPECT_EQ(again.retry_after, Ms{300});
}

TEST_P(RateLimiterContract, NoBurstAtAWindowBoundary) {
    // A fixed-window counter would admit 3 more at t = 1000; a rolling window admits them only as the first
    // three leave.
    advance(900);
    for (int i = 0; i < 3; ++i) EXPECT_TRUE(take("k").allowed);
    advance(200);
    EXPECT_FALSE(take("k").allowed);
}

TEST_P(RateLimiterContract, KeysAreIndependent) {
    for (int i = 0; i < 3; ++i) EXPECT_TRUE(take("platform-a").allowed);
    EXPECT_FALSE(take("platform-a").allowed);
    const auto other = take("platform-b");
    EXPECT_TRUE(other.allowed);
    EXPECT_EQ(other.remaining, 2);
}

TEST_P(RateLimiterContract, RefusalsTakeNothing) {
    EXPECT_TRUE(take("k", 2).allowed);
    EXPECT_TRUE(take("k", 2).allowed);
    advance(500);
    for (int i = 0; i < 50; ++i) EXPECT_FALSE(take("k", 2).allowed);
    advance(500);  // both slots taken at t = 0 are free; the refusals at t = 500 left no trace
    EXPECT_TRUE(take("k", 2).allowed);
    EXPECT_TRUE(take("k", 2).allowed);
    EXPECT_FALSE(take("k", 2).allowed);
}

TEST_P(RateLimiterContract, ALoweredLimitWaitsForEnoughEventsToLeave) {
    for (int i = 0; i < 3; ++i) {
        EXPECT_TRUE(take("k", 3).allowed);
        advance(100);
    }
    // t = 300, events at 0, 100, 200; with a limit of 2, two must leave before a third fits: the second leaves
    // at t = 1100.
    const auto decision = take("k", 2);
    EXPECT_FALSE(decision.allowed);
    EXPECT_EQ(decision.retry_after, Ms{800});
}

TEST_P(RateLimiterContract, RefusesNonsenseLimits) {
    for (const auto& [limit, window] : {std::pair{0L, Ms{1'000}}, {-1L, Ms{1'000}}, {1L, Ms{0}}, {1L, Ms{-5}}}) {
        const auto decision = backend().rate_limiter().acquire(backend().key("k"), limit, window);
        ASSERT_FALSE(decision.ok());
        EXPECT_EQ(decision.error().code, core::ErrorCode::kValidation);
    }
}

TEST_P(RateLimiterContract, ConcurrentCallersNeverOverAdmit) {
    constexpr int kThreads = 8;
    constexpr int kCallsPerThread = 400;
    constexpr long kSharedLimit = 1'000;
    constexpr long kOwnLimit = 250;
    std::atomic<long> allowed_shared{0};
    std::atomic<long> allowed_own{0};
    std::atomic<long> errors{0};
    const std::string shared_key = backend().key("shared");
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t, own_key = backend().key("own-" + std::to_string(t))] {
            for (int i = 0; i < kCallsPerThread; ++i) {
                // One key everyone fights over, and one per thread that only it uses.
                auto shared = backend().rate_limiter().acquire(shared_key, kSharedLimit, Ms{60'000});
                if (!shared.ok()) ++errors;
                if (shared.ok() && shared->allowed) ++allowed_shared;
                auto own = backend().rate_limiter().acquire(own_key, kOwnLimit, Ms{60'000});
                if (!own.ok()) ++errors;
                if (own.ok() && own->allowed) ++allowed_own;
            }
        });
    }
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(errors.load(), 0);
    EXPECT_EQ(allowed_shared.load(), kSharedLimit);
    EXPECT_EQ(allowed_own.load(), kOwnLimit * kThreads);
    EXPECT_FALSE(take("shared", kSharedLimit, Ms{60'000}).allowed);
}

TEST_P(RateLimiterContract, AClockSteppingBackDoesNotBreakExpiry) {
    EXPECT_TRUE(take("k", 2).allowed);
    advance(-5'000);  // NTP stepped the wall clock back
    EXPECT_TRUE(take("k", 2).allowed);
    EXPECT_FALSE(take("k", 2).allowed);
    advance(5'000 + 1'000);  // a window after the first event: both leave together
    EXPECT_TRUE(take("k", 2).allowed);
    EXPECT_TRUE(take("k", 2).allowed);
}

INSTANTIATE_TEST_SUITE_P(Adapters, RateLimiterContract, ::testing::ValuesIn(shared_state_backends()),
                         shared_state_name);

}  // namespace
}  // namespace crossvoice::contract
