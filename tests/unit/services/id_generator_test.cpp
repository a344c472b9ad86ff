#include "services/id_generator.hpp"

#include <gtest/gtest.h>

#include "support/fake_clock.hpp"
#include "support/fake_crypto.hpp"

namespace crossvoice::services {
namespace {

TEST(IdGenerator, IdsOfOneMillisecondKeepCreationOrder) {
    testing::FakeClock clock;
    testing::FakeCrypto crypto;  // counter "randomness": without monotonic ids, later bytes could sort lower
    IdGenerator ids(clock, crypto);
    std::string previous = ids.next("ses");
    for (int i = 0; i < 1000; ++i) {
        const auto id = ids.next("ses");
        ASSERT_LT(previous, id) << "id " << i;
        EXPECT_TRUE(core::is_valid_id("ses", id));
        previous = id;
    }
}

TEST(IdGenerator, AClockSteppingBackDoesNotReorder) {
    testing::FakeClock clock(1'800'000'000'000);
    testing::FakeCrypto crypto;
    IdGenerator ids(clock, crypto);
    const auto before = ids.next("ses");
    clock.set_ms(1'700'000'000'000);
    EXPECT_LT(before, ids.next("ses"));
    clock.set_ms(1'800'000'000'005);
    const auto later = ids.next("ses");
    EXPECT_LT(before, later);
    EXPECT_EQ(later.substr(0, 14), core::make_id("ses", clock.now(), {}).substr(0, 14)) << "fresh time is used again";
}

}  // namespace
}  // namespace crossvoice::services
