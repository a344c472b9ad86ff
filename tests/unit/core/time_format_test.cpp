#include "core/time_format.hpp"

#include <gtest/gtest.h>

namespace crossvoice::core {
namespace {

TEST(TimeFormat, Rfc3339WithMilliseconds) {
    EXPECT_EQ(format_rfc3339(from_unix_ms(0)), "1970-01-01T00:00:00.000Z");
    EXPECT_EQ(format_rfc3339(from_unix_ms(1'795'564'800'123)), "2026-11-25T00:00:00.123Z");
    EXPECT_EQ(format_rfc3339(from_unix_ms(951'782'400'000 - 1)), "2000-02-28T23:59:59.999Z");
}

}  // namespace
}  // namespace crossvoice::core
