#include "core/printable.hpp"

#include <gtest/gtest.h>

namespace crossvoice::core {
namespace {

TEST(Printable, KeepsAsciiFoldsWhitespaceReplacesOtherBytesAndCuts) {
    EXPECT_EQ(printable("Invalid credentials.", 100), "Invalid credentials.");
    EXPECT_EQ(printable("  two\r\n\tlines\x01 here ", 100), "two lines here");
    EXPECT_EQ(printable("caf\xc3\xa9", 100), "caf??");
    EXPECT_EQ(printable("abcdefghij", 4), "abcd...");
    EXPECT_EQ(printable("", 4), "");
}

}  // namespace
}  // namespace crossvoice::core
