#include "core/e164.hpp"

#include <gtest/gtest.h>

namespace crossvoice::core {
namespace {

TEST(E164, AcceptsPlusAndUpToFifteenDigits) {
    EXPECT_TRUE(is_e164("+15551234567"));
    EXPECT_TRUE(is_e164("+442071838750"));
    EXPECT_TRUE(is_e164("+123456789012345"));
}

TEST(E164, RejectsEverythingElse) {
    for (const char* bad : {"", "+", "+1", "15551234567", "+05551234567", "+1555123456789012", "+1 555 123 4567",
                            "+1-555-123-4567", "+1555abc4567"}) {
        EXPECT_FALSE(is_e164(bad)) << bad;
    }
}

}  // namespace
}  // namespace crossvoice::core
