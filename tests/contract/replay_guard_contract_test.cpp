// The ReplayGuard port (keys usable once until they expire) against every adapter.
#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "store_backends.hpp"

namespace crossvoice::contract {
namespace {

core::TimePoint at(std::int64_t ms) { return core::from_unix_ms(1'790'000'000'000 + ms); }

class ReplayGuardContract : public StoreContractTest {};

TEST_P(ReplayGuardContract, AKeyIsUsableOnceUntilItExpires) {
    auto& guard = backend().replay_guard();
    EXPECT_TRUE(*guard.first_use("sinch:nonce-1", at(0), at(300'000)));
    EXPECT_FALSE(*guard.first_use("sinch:nonce-1", at(1'000), at(301'000)));
    EXPECT_TRUE(*guard.first_use("sinch:nonce-2", at(1'000), at(301'000)));
    EXPECT_TRUE(*guard.first_use("sinch:nonce-1", at(300'000), at(600'000))) << "expired: usable again";
    EXPECT_FALSE(*guard.first_use("sinch:nonce-1", at(300'001), at(600'001)));
}

TEST_P(ReplayGuardContract, OfConcurrentFirstUsesOfOneKeyExactlyOneWins) {
    std::atomic<int> winners{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < 8; ++i) {
        threads.emplace_back([&] {
            auto first = backend().replay_guard().first_use("handoff:token-1", at(0), at(60'000));
            ASSERT_TRUE(first.ok()) << first.error().message;
            if (*first) ++winners;
        });
    }
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(winners.load(), 1);
}

INSTANTIATE_TEST_SUITE_P(Adapters, ReplayGuardContract, ::testing::ValuesIn(store_backends()), backend_name);

}  // namespace
}  // namespace crossvoice::contract
