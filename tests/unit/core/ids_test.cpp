#include "core/ids.hpp"

#include <gtest/gtest.h>

namespace crossvoice::core {
namespace {

TEST(Ids, HavePrefixAnd26CrockfordCharacters) {
    const IdEntropy entropy{1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    const auto id = make_id("ses", from_unix_ms(1'790'000'000'000), entropy);
    EXPECT_EQ(id.size(), 4u + 26u);
    EXPECT_EQ(id.substr(0, 4), "ses_");
    EXPECT_TRUE(is_valid_id("ses", id));
    EXPECT_FALSE(is_valid_id("key", id));
}

TEST(Ids, SortByCreationTime) {
    const IdEntropy high{255, 255, 255, 255, 255, 255, 255, 255, 255, 255};
    const IdEntropy low{};
    const auto earlier = make_id("ses", from_unix_ms(1'000), high);
    const auto later = make_id("ses", from_unix_ms(1'001), low);
    EXPECT_LT(earlier, later);
}

TEST(Ids, EncodeTheTimestampExactly) {
    // ULID reference: 48-bit time 0x0180_0000_0000 → first 10 characters "01G0000000".
    const auto id = make_id("x", from_unix_ms(0x018000000000LL), IdEntropy{});
    EXPECT_EQ(id, "x_01G0000000" + std::string(16, '0'));
}

TEST(Ids, RejectMalformed) {
    EXPECT_FALSE(is_valid_id("ses", "ses_"));
    EXPECT_FALSE(is_valid_id("ses", "ses_0000000000000000000000000"));    // 25
    EXPECT_FALSE(is_valid_id("ses", "ses_000000000000000000000000000"));  // 27
    EXPECT_FALSE(is_valid_id("ses", "ses_0000000000000000000000000U"));   // U is not Crockford
    EXPECT_FALSE(is_valid_id("ses", "ses_80000000000000000000000000"));   // overflows 128 bits
    EXPECT_FALSE(is_valid_id("ses", "sesX00000000000000000000000000"));
    EXPECT_TRUE(is_valid_id("ses", "ses_7ZZZZZZZZZZZZZZZZZZZZZZZZZ"));
}

}  // namespace
}  // namespace crossvoice::core
