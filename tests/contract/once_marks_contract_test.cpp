#include <gtest/gtest.h>

#include <atomic>
#include <latch>
#include <string>
#include <thread>
#include <vector>

#include "shared_state_backends.hpp"

namespace crossvoice::contract {
namespace {

using core::from_unix_ms;

constexpr std::int64_t kNow = 1'790'000'000'000;

// The ReplayGuard port: webhook nonces, hand-off tokens and event ids that may be used once in a window.
class OnceMarksContract : public SharedStateContractTest {
  protected:
    bool first_use(const std::string& name, std::int64_t now_ms, std::int64_t expires_ms) {
        auto used =
            backend().replay_guard().first_use(backend().key(name), from_unix_ms(now_ms), from_unix_ms(expires_ms));
        if (!used) {
            ADD_FAILURE() << used.error().message;
            return false;
        }
        return *used;
    }
};

TEST_P(OnceMarksContract, TheFirstUseIsTheOnlyOneWithinTheWindow) {
    EXPECT_TRUE(first_use("nonce-1", kNow, kNow + 60'000));
    EXPECT_FALSE(first_use("nonce-1", kNow, kNow + 60'000));
    EXPECT_FALSE(first_use("nonce-1", kNow + 1'000, kNow + 61'000));
}

TEST_P(OnceMarksContract, KeysAreIndependent) {
    EXPECT_TRUE(first_use("a", kNow, kNow + 60'000));
    EXPECT_TRUE(first_use("b", kNow, kNow + 60'000));
    EXPECT_FALSE(first_use("a", kNow, kNow + 60'000));
}

TEST_P(OnceMarksContract, ManyConcurrentCallersSeeExactlyOneFirstUse) {
    constexpr int kThreads = 8;
    std::atomic<int> firsts{0};
    std::atomic<int> errors{0};
    std::latch start(kThreads);
    const std::string key = backend().key("token");
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&] {
            start.arrive_and_wait();
            auto used = backend().replay_guard().first_use(key, from_unix_ms(kNow), from_unix_ms(kNow + 60'000));
            if (!used) ++errors;
            if (used && *used) ++firsts;
        });
    }
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(errors.load(), 0);
    EXPECT_EQ(firsts.load(), 1);
}

INSTANTIATE_TEST_SUITE_P(Adapters, OnceMarksContract, ::testing::ValuesIn(shared_state_backends()), shared_state_name);

}  // namespace
}  // namespace crossvoice::contract
