#include "infra/memory_rate_limiter.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

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

TEST_F(MemoryRateLimiterTest, AdmitsUpToTheLimitThenRefusesWithTheExactWait) {
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

    clock_.advance_ms(400);
    const auto later = take("k");
    EXPECT_FALSE(later.allowed);
    EXPECT_EQ(later.retry_after, Ms{600});
}

TEST_F(MemoryRateLimiterTest, TheWindowRollsOneEventAtATime) {
    EXPECT_TRUE(take("k").allowed);  // t = 0
    clock_.advance_ms(300);
    EXPECT_TRUE(take("k").allowed);  // t = 300
    clock_.advance_ms(300);
    EXPECT_TRUE(take("k").allowed);  // t = 600
    clock_.advance_ms(100);
    const auto full = take("k");  // t = 700: the oldest (t = 0) leaves at 1000
    EXPECT_FALSE(full.allowed);
    EXPECT_EQ(full.retry_after, Ms{300});

    clock_.advance_ms(299);  // t = 999: still inside the window
    EXPECT_FALSE(take("k").allowed);
    clock_.advance_ms(1);  // t = 1000: exactly one slot is free
    const auto freed = take("k");
    EXPECT_TRUE(freed.allowed);
    EXPECT_EQ(freed.remaining, 0);
    const auto again = take("k");  // the next one frees at t = 1300
    EXPECT_FALSE(again.allowed);
    EXPECT_EQ(again.retry_after, Ms{300});
}

TEST_F(MemoryRateLimiterTest, NoBurstAtAWindowBoundary) {
    // A fixed-window counter would admit 3 more at t = 1000; a rolling window admits them only as the first
    // three leave.
    clock_.advance_ms(900);
    for (int i = 0; i < 3; ++i) EXPECT_TRUE(take("k").allowed);
    clock_.advance_ms(200);
    EXPECT_FALSE(take("k").allowed);
}

TEST_F(MemoryRateLimiterTest, KeysAreIndependent) {
    for (int i = 0; i < 3; ++i) EXPECT_TRUE(take("platform-a").allowed);
    EXPECT_FALSE(take("platform-a").allowed);
    const auto other = take("platform-b");
    EXPECT_TRUE(other.allowed);
    EXPECT_EQ(other.remaining, 2);
}

TEST_F(MemoryRateLimiterTest, RefusalsTakeNothing) {
    EXPECT_TRUE(take("k", 2).allowed);
    EXPECT_TRUE(take("k", 2).allowed);
    clock_.advance_ms(500);
    for (int i = 0; i < 50; ++i) EXPECT_FALSE(take("k", 2).allowed);
    clock_.advance_ms(500);  // both slots taken at t = 0 are free; the refusals at t = 500 left no trace
    EXPECT_TRUE(take("k", 2).allowed);
    EXPECT_TRUE(take("k", 2).allowed);
    EXPECT_FALSE(take("k", 2).allowed);
}

TEST_F(MemoryRateLimiterTest, ALoweredLimitWaitsForEnoughEventsToLeave) {
    for (int i = 0; i < 3; ++i) {
        EXPECT_TRUE(take("k", 3).allowed);
        clock_.advance_ms(100);
    }
    // t = 300, events at 0, 100, 200; with a limit of 2, two must leave before a third fits: the second leaves
    // at t = 1100.
    const auto decision = take("k", 2);
    EXPECT_FALSE(decision.allowed);
    EXPECT_EQ(decision.retry_after, Ms{800});
}

TEST_F(MemoryRateLimiterTest, RefusesNonsenseLimits) {
    for (const auto& [limit, window] : {std::pair{0L, Ms{1'000}}, {-1L, Ms{1'000}}, {1L, Ms{0}}, {1L, Ms{-5}}}) {
        const auto decision = limiter_.acquire("k", limit, window);
        ASSERT_FALSE(decision.ok());
        EXPECT_EQ(decision.error().code, core::ErrorCode::kValidation);
    }
}

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

TEST_F(MemoryRateLimiterTest, ConcurrentCallersNeverOverAdmit) {
    constexpr int kThreads = 8;
    constexpr int kCallsPerThread = 2'000;
    constexpr long kLimit = 1'000;
    std::atomic<long> allowed_shared{0};
    std::atomic<long> allowed_own{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < kCallsPerThread; ++i) {
                // One key everyone fights over, and one per thread that only it uses.
                auto shared = limiter_.acquire("shared", kLimit, Ms{60'000});
                if (shared.ok() && shared->allowed) ++allowed_shared;
                auto own = limiter_.acquire("own-" + std::to_string(t), kLimit, Ms{60'000});
                if (own.ok() && own->allowed) ++allowed_own;
            }
        });
    }
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(allowed_shared.load(), kLimit);
    EXPECT_EQ(allowed_own.load(), kLimit * kThreads);
    EXPECT_FALSE(take("shared", kLimit, Ms{60'000}).allowed);
}

TEST_F(MemoryRateLimiterTest, AClockSteppingBackDoesNotBreakExpiry) {
    EXPECT_TRUE(take("k", 2).allowed);
    clock_.advance_ms(-5'000);  // NTP stepped the wall clock back
    EXPECT_TRUE(take("k", 2).allowed);
    EXPECT_FALSE(take("k", 2).allowed);
    clock_.advance_ms(5'000 + 1'000);  // a window after the first event: both leave together
    EXPECT_TRUE(take("k", 2).allowed);
    EXPECT_TRUE(take("k", 2).allowed);
}

}  // namespace
}  // namespace crossvoice::infra
